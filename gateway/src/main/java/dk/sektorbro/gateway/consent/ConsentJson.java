package dk.sektorbro.gateway.consent;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's JSON view of a consent: the same codes as the input, plus its status now. */
final class ConsentJson {

  private ConsentJson() {}

  static Map<String, Object> view(ConsentRecord c, OffsetDateTime now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id());
    m.put("citizenCpr", c.citizenCpr());
    m.put("type", c.type().name().toLowerCase());
    m.put("status", status(c, now));
    Map<String, Object> givenBy = new LinkedHashMap<>();
    givenBy.put("type", c.givenBy().type().name().toLowerCase());
    givenBy.put("name", c.givenBy().name());
    givenBy.put("authority", c.givenBy().authority());
    m.put("givenBy", givenBy);
    m.put("recipients", c.recipients().stream().map(ConsentJson::recipient).toList());
    m.put(
        "informationCategories",
        c.categories().stream().sorted().map(InformationCategory::code).toList());
    m.put("purpose", c.purpose() == null ? null : c.purpose().code());
    m.put("givenAt", c.givenAt());
    m.put("validUntil", c.validUntil());
    m.put("collectedBy", c.collectedBy());
    m.put("witness", c.witness());
    m.put("form", c.form().code());
    m.put("recordedAt", c.recordedAt());
    if (c.revocation() != null) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("revokedAt", c.revocation().revokedAt());
      r.put("revokedBy", c.revocation().revokedBy());
      r.put("note", c.revocation().note());
      m.put("revocation", r);
    }
    return m;
  }

  static List<Map<String, Object>> views(List<ConsentRecord> consents, OffsetDateTime now) {
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

  private static Map<String, Object> recipient(ConsentRecipient r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", r.kind().code());
    m.put("sor", r.sor());
    m.put("name", r.name());
    m.put("relation", r.relation());
    m.put("municipality", r.municipality());
    return m;
  }
}
