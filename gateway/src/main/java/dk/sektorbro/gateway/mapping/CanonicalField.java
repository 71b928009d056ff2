package dk.sektorbro.gateway.mapping;

import java.util.Arrays;
import java.util.Optional;

/** The canonical fields a mapping may fill: the vocabulary of {@code fields:} in a mapping file. */
public enum CanonicalField {
  CITIZEN_CPR("citizen.cpr"),
  CITIZEN_GIVEN_NAME("citizen.givenName"),
  CITIZEN_FAMILY_NAME("citizen.familyName"),
  /**
   * For a citizen without a CPR number: the replacement CPR and its issuer's OID (X-eCPR or
   * D-eCPR).
   */
  CITIZEN_REPLACEMENT_CPR("citizen.replacementCpr"),
  CITIZEN_REPLACEMENT_CPR_SYSTEM("citizen.replacementCprSystem"),
  SENDER_SOR("sender.sor"),
  SENDER_GLN("sender.gln"),
  SENDER_NAME("sender.name"),
  /** A more specific sender inside the sending organisation (a team), named; MedCom tec-02. */
  SENDER_UNIT("sender.unit"),
  AUTHOR_GIVEN_NAME("author.givenName"),
  AUTHOR_FAMILY_NAME("author.familyName"),
  AUTHOR_ROLE("author.role"),
  AUTHOR_PHONE("author.phone"),
  RECIPIENT_SOR("recipient.sor"),
  RECIPIENT_GLN("recipient.gln"),
  RECIPIENT_NAME("recipient.name"),
  /** A more specific recipient inside the receiving organisation (a team), named; MedCom tec-02. */
  RECIPIENT_UNIT("recipient.unit"),
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
  /**
   * {@code reply} or {@code forward}: the record continues a thread (docs/mappings.md, "Replies and
   * forwards").
   */
  THREAD_ACTION("thread.action"),
  /** The earlier message, by its MessageHeader id ... */
  THREAD_MESSAGE_HEADER_ID("thread.messageHeaderId"),
  /** ... or the latest message of a thread (Communication.identifier) ... */
  THREAD_ID("thread.threadId"),
  /** ... or the latest message about an episode of care. */
  THREAD_EPISODE_OF_CARE_ID("thread.episodeOfCareId"),
  /**
   * Repeated: on a forward, the identifiers of the earlier segments to pass on (all when absent).
   */
  THREAD_SEGMENTS("thread.segments"),
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
    CREATION("creation"),
    /** A web link instead of data. */
    URL("url"),
    /** The document's own author (structured attachment); the message's author when absent. */
    AUTHOR_GIVEN_NAME("author.givenName"),
    AUTHOR_FAMILY_NAME("author.familyName"),
    AUTHOR_ROLE("author.role"),
    AUTHOR_PHONE("author.phone");

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
