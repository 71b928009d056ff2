package dk.sektorbro.gateway.record;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The gateway's source-independent view of one municipal record: what every mapping produces
 * and what translation, consent and addressing work on. {@code legalBasis} (a code of
 * {@code consent.LegalBasis}, with a written {@code legalBasisJustification} where the rule asks for
 * one) is the sender's claim that the law allows the disclosure without consent; {@code recipientKind}
 * (a code of {@code consent.RecipientKind}, e.g. own-gp) says what the recipient is to the citizen;
 * {@code planReference} names the §13a/§13b plan (by plan number) a §13c disclosure belongs to.
 */
public record CanonicalRecord(
    String sourceRecordId,
    Citizen citizen,
    Organisation sender,
    Author author,
    Organisation recipient,
    String category,
    String topic,
    String text,
    String priority,
    String episodeOfCareId,
    OffsetDateTime sentAt,
    List<String> informationCategories,
    String purpose,
    List<Attachment> attachments,
    String legalBasis,
    String legalBasisJustification,
    String recipientKind,
    String planReference) {

  public CanonicalRecord {
    informationCategories = informationCategories == null ? List.of() : List.copyOf(informationCategories);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /**
   * A record that claims no legal basis and declares no recipient kind: disclosure then needs a
   * consent (see {@code dk.sektorbro.gateway.consent}).
   */
  public CanonicalRecord(String sourceRecordId, Citizen citizen, Organisation sender, Author author,
      Organisation recipient, String category, String topic, String text, String priority, String episodeOfCareId,
      OffsetDateTime sentAt, List<String> informationCategories, String purpose, List<Attachment> attachments) {
    this(sourceRecordId, citizen, sender, author, recipient, category, topic, text, priority, episodeOfCareId, sentAt,
        informationCategories, purpose, attachments, null, null, null, null);
  }

  /** A record that names no plan it belongs to. */
  public CanonicalRecord(String sourceRecordId, Citizen citizen, Organisation sender, Author author,
      Organisation recipient, String category, String topic, String text, String priority, String episodeOfCareId,
      OffsetDateTime sentAt, List<String> informationCategories, String purpose, List<Attachment> attachments,
      String legalBasis, String legalBasisJustification, String recipientKind) {
    this(sourceRecordId, citizen, sender, author, recipient, category, topic, text, priority, episodeOfCareId, sentAt,
        informationCategories, purpose, attachments, legalBasis, legalBasisJustification, recipientKind, null);
  }

  /** The same record addressed to another recipient (an address fix keeps everything else, legal basis included). */
  public CanonicalRecord withRecipient(Organisation newRecipient) {
    return new CanonicalRecord(sourceRecordId, citizen, sender, author, newRecipient, category, topic, text, priority,
        episodeOfCareId, sentAt, informationCategories, purpose, attachments, legalBasis, legalBasisJustification,
        recipientKind, planReference);
  }

  /** The citizen the record is about. CPR is digits only (no hyphen). */
  public record Citizen(String cpr, String givenName, String familyName) {}

  /** An organisation (sender or recipient) by SOR code, EAN/GLN location number and name. */
  public record Organisation(String sor, String gln, String name) {}

  /** The person who wrote the text; role is a MedCom role code or free text. */
  public record Author(String givenName, String familyName, String role, String phone) {}

  /** A document sent with the text; data is base64. */
  public record Attachment(String title, String contentType, String data, OffsetDateTime creation) {}
}
