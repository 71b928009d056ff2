package dk.sektorbro.gateway.record;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Consumer;

/**
 * The gateway's source-independent view of one municipal record: what every mapping produces and
 * what translation, consent and addressing work on. {@code legalBasis} (a code of {@code
 * consent.LegalBasis}, with a written {@code legalBasisJustification} where the rule asks for one)
 * is the sender's claim that the law allows the disclosure without consent; {@code recipientKind}
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
    String senderUnit,
    String recipientUnit,
    ThreadReference thread,
    String planReference) {

  public CanonicalRecord {
    informationCategories =
        informationCategories == null ? List.of() : List.copyOf(informationCategories);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** A record that names no plan it belongs to. */
  public CanonicalRecord(
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
      String senderUnit,
      String recipientUnit,
      ThreadReference thread) {
    this(
        sourceRecordId,
        citizen,
        sender,
        author,
        recipient,
        category,
        topic,
        text,
        priority,
        episodeOfCareId,
        sentAt,
        informationCategories,
        purpose,
        attachments,
        legalBasis,
        legalBasisJustification,
        recipientKind,
        senderUnit,
        recipientUnit,
        thread,
        null);
  }

  /** A new message (no reply, no forward) without a specific sending or receiving unit. */
  public CanonicalRecord(
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
      String recipientKind) {
    this(
        sourceRecordId,
        citizen,
        sender,
        author,
        recipient,
        category,
        topic,
        text,
        priority,
        episodeOfCareId,
        sentAt,
        informationCategories,
        purpose,
        attachments,
        legalBasis,
        legalBasisJustification,
        recipientKind,
        null,
        null,
        null);
  }

  /**
   * A record that claims no legal basis and declares no recipient kind: disclosure then needs a
   * consent (see {@code dk.sektorbro.gateway.consent}).
   */
  public CanonicalRecord(
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
      List<Attachment> attachments) {
    this(
        sourceRecordId,
        citizen,
        sender,
        author,
        recipient,
        category,
        topic,
        text,
        priority,
        episodeOfCareId,
        sentAt,
        informationCategories,
        purpose,
        attachments,
        null,
        null,
        null);
  }

  /**
   * The same record addressed to another recipient (an address fix keeps everything else, legal
   * basis included).
   */
  public CanonicalRecord withRecipient(Organisation newRecipient) {
    return copy(c -> c.recipient = newRecipient);
  }

  /** The same record about another citizen; everything else kept. */
  public CanonicalRecord withCitizen(Citizen newCitizen) {
    return copy(c -> c.citizen = newCitizen);
  }

  /** The same record with another text (null for none); everything else kept. */
  public CanonicalRecord withText(String newText) {
    return copy(c -> c.text = newText);
  }

  /** The same record with another time of writing; everything else kept. */
  public CanonicalRecord withSentAt(OffsetDateTime newSentAt) {
    return copy(c -> c.sentAt = newSentAt);
  }

  /** The same record with other attachments; everything else kept. */
  public CanonicalRecord withAttachments(List<Attachment> newAttachments) {
    return copy(c -> c.attachments = newAttachments);
  }

  /** The same record claiming another legal basis; its justification and the rest kept. */
  public CanonicalRecord withLegalBasis(String newLegalBasis) {
    return copy(c -> c.legalBasis = newLegalBasis);
  }

  // The withers change one field on a full copy, so a field added to the record is listed here
  // once and kept by all of them (CanonicalRecordTest checks every wither against every field).
  private CanonicalRecord copy(Consumer<Fields> change) {
    Fields fields = new Fields(this);
    change.accept(fields);
    return fields.record();
  }

  private static final class Fields {
    private String sourceRecordId;
    private Citizen citizen;
    private Organisation sender;
    private Author author;
    private Organisation recipient;
    private String category;
    private String topic;
    private String text;
    private String priority;
    private String episodeOfCareId;
    private OffsetDateTime sentAt;
    private List<String> informationCategories;
    private String purpose;
    private List<Attachment> attachments;
    private String legalBasis;
    private String legalBasisJustification;
    private String recipientKind;
    private String senderUnit;
    private String recipientUnit;
    private ThreadReference thread;
    private String planReference;

    Fields(CanonicalRecord r) {
      sourceRecordId = r.sourceRecordId;
      citizen = r.citizen;
      sender = r.sender;
      author = r.author;
      recipient = r.recipient;
      category = r.category;
      topic = r.topic;
      text = r.text;
      priority = r.priority;
      episodeOfCareId = r.episodeOfCareId;
      sentAt = r.sentAt;
      informationCategories = r.informationCategories;
      purpose = r.purpose;
      attachments = r.attachments;
      legalBasis = r.legalBasis;
      legalBasisJustification = r.legalBasisJustification;
      recipientKind = r.recipientKind;
      senderUnit = r.senderUnit;
      recipientUnit = r.recipientUnit;
      thread = r.thread;
      planReference = r.planReference;
    }

    CanonicalRecord record() {
      return new CanonicalRecord(
          sourceRecordId,
          citizen,
          sender,
          author,
          recipient,
          category,
          topic,
          text,
          priority,
          episodeOfCareId,
          sentAt,
          informationCategories,
          purpose,
          attachments,
          legalBasis,
          legalBasisJustification,
          recipientKind,
          senderUnit,
          recipientUnit,
          thread,
          planReference);
    }
  }

  /**
   * The citizen the record is about. CPR is digits only (no hyphen). A citizen without a CPR number
   * is identified by a replacement CPR (erstatnings-CPR) and the OID of its issuer: X-eCPR {@code
   * urn:oid:1.2.208.176.1.6.1.1} or a D-eCPR system {@code urn:oid:1.2.208.176.1.6.1.3[.nnn]}.
   */
  public record Citizen(
      String cpr,
      String givenName,
      String familyName,
      String replacementCpr,
      String replacementCprSystem) {

    public Citizen(String cpr, String givenName, String familyName) {
      this(cpr, givenName, familyName, null, null);
    }
  }

  /** An organisation (sender or recipient) by SOR code, EAN/GLN location number and name. */
  public record Organisation(String sor, String gln, String name) {}

  /** The person who wrote the text; role is a MedCom role code or free text. */
  public record Author(String givenName, String familyName, String role, String phone) {}

  /**
   * A document sent with the text: base64 {@code data}, or a web link ({@code url}). {@code author}
   * is the document's own author where the source knows it (structured attachment); otherwise the
   * message's author, who attached it, signs the segment.
   */
  public record Attachment(
      String title,
      String contentType,
      String data,
      OffsetDateTime creation,
      String url,
      Author author) {

    public Attachment(String title, String contentType, String data, OffsetDateTime creation) {
      this(title, contentType, data, creation, null, null);
    }
  }

  /**
   * The record continues a thread: {@code action} is {@code reply} or {@code forward}; the earlier
   * message is named by its MessageHeader id, or found as the latest message of a thread
   * (Communication.identifier) or of an episode of care. {@code segments}, on a forward, are the
   * identifiers of the earlier segments to pass on (a partial thread); empty means all.
   */
  public record ThreadReference(
      String action,
      String messageHeaderId,
      String threadId,
      String episodeOfCareId,
      List<String> segments) {

    public static final String REPLY = "reply";
    public static final String FORWARD = "forward";

    public ThreadReference {
      segments = segments == null ? List.of() : List.copyOf(segments);
    }
  }
}
