package dk.sektorbro.gateway.mapping;

import java.util.Arrays;
import java.util.Optional;

/** The canonical fields a mapping may fill: the vocabulary of {@code fields:} in a mapping file. */
public enum CanonicalField {
  CITIZEN_CPR("citizen.cpr"),
  CITIZEN_GIVEN_NAME("citizen.givenName"),
  CITIZEN_FAMILY_NAME("citizen.familyName"),
  SENDER_SOR("sender.sor"),
  SENDER_GLN("sender.gln"),
  SENDER_NAME("sender.name"),
  AUTHOR_GIVEN_NAME("author.givenName"),
  AUTHOR_FAMILY_NAME("author.familyName"),
  AUTHOR_ROLE("author.role"),
  AUTHOR_PHONE("author.phone"),
  RECIPIENT_SOR("recipient.sor"),
  RECIPIENT_GLN("recipient.gln"),
  RECIPIENT_NAME("recipient.name"),
  CATEGORY("category"),
  TOPIC("topic"),
  TEXT("text"),
  PRIORITY("priority"),
  EPISODE_OF_CARE_ID("episodeOfCareId"),
  SENT_AT("sentAt"),
  PURPOSE("purpose"),
  /** The only repeated field: every value the path selects is one information category. */
  INFORMATION_CATEGORIES("informationCategories"),
  /** The legal basis the sender claims for disclosing without consent (consent.LegalBasis code). */
  LEGAL_BASIS("legalBasis"),
  LEGAL_BASIS_JUSTIFICATION("legalBasisJustification"),
  /** What the recipient is to the citizen (consent.RecipientKind code, e.g. own-gp). */
  RECIPIENT_KIND("recipientKind"),
  /** The §13a/§13b plan (plan number) a §13c disclosure belongs to. */
  PLAN_REFERENCE("planReference");

  private final String key;

  CanonicalField(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static Optional<CanonicalField> byKey(String key) {
    return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
  }

  /** Fields of one attachment, under {@code attachments.fields}. */
  public enum AttachmentField {
    TITLE("title"),
    CONTENT_TYPE("contentType"),
    DATA("data"),
    CREATION("creation");

    private final String key;

    AttachmentField(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }

    public static Optional<AttachmentField> byKey(String key) {
      return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
    }
  }
}
