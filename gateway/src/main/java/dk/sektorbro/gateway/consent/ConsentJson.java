package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;

/** The API's JSON view of a consent: the same codes as the input, plus its status now. */
public final class ConsentJson {

  private ConsentJson() {}

  /** One consent as the API shows it; {@code revocation} is absent until it is revoked. */
  public record ConsentView(
      String id,
      String citizenCpr,
      String type,
      String status,
      GivenByView givenBy,
      List<RecipientView> recipients,
      List<String> informationCategories,
      String purpose,
      OffsetDateTime givenAt,
      OffsetDateTime validUntil,
      String collectedBy,
      String witness,
      String form,
      OffsetDateTime recordedAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) RevocationView revocation) {}

  public record GivenByView(String type, String name, String authority) {}

  public record RecipientView(
      String kind, String sor, String name, String relation, String municipality) {}

  public record RevocationView(OffsetDateTime revokedAt, String revokedBy, String note) {}

  /** A citizen's consents. */
  public record ConsentList(int total, List<ConsentView> items) {}

  static ConsentView view(ConsentRecord c, OffsetDateTime now) {
    return new ConsentView(
        c.id(),
        c.citizenCpr(),
        c.type().name().toLowerCase(),
        status(c, now),
        new GivenByView(
            c.givenBy().type().name().toLowerCase(), c.givenBy().name(), c.givenBy().authority()),
        c.recipients().stream().map(ConsentJson::recipient).toList(),
        c.categories().stream().sorted().map(InformationCategory::code).toList(),
        c.purpose() == null ? null : c.purpose().code(),
        c.givenAt(),
        c.validUntil(),
        c.collectedBy(),
        c.witness(),
        c.form().code(),
        c.recordedAt(),
        c.revocation() == null
            ? null
            : new RevocationView(
                c.revocation().revokedAt(), c.revocation().revokedBy(), c.revocation().note()));
  }

  static List<ConsentView> views(List<ConsentRecord> consents, OffsetDateTime now) {
    return consents.stream().map(c -> view(c, now)).toList();
  }

  private static String status(ConsentRecord c, OffsetDateTime now) {
    if (c.revocation() != null && !now.isBefore(c.revocation().revokedAt())) {
      return "revoked";
    }
    if (c.validUntil() != null && now.isAfter(c.validUntil())) {
      return "expired";
    }
    return now.isBefore(c.givenAt()) ? "not-yet-valid" : "active";
  }

  private static RecipientView recipient(ConsentRecipient r) {
    return new RecipientView(r.kind().code(), r.sor(), r.name(), r.relation(), r.municipality());
  }
}
