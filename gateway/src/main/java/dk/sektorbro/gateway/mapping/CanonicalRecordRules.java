package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.mapping.MappingDefinition.FieldRule;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.record.CanonicalRecord.Attachment;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import dk.sektorbro.gateway.record.Cpr;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Rules every canonical record must meet before it can become a MedCom CareCommunication, whatever
 * its source. Each issue names the field and the rule; values are never echoed.
 */
public final class CanonicalRecordRules {

  /**
   * How far a record's own times may lie ahead of the gateway's clock by default. A source clock a
   * few minutes off, or Danish local time written with a UTC marker (1 hour ahead in winter, 2 in
   * summer), is an honest error the message survives (it states the real sent time and the journal
   * notes the difference); beyond that no clock error explains the time: a wrong year (2099), a
   * swapped day and month, or test data.
   */
  public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofHours(3);

  private final Clock clock;
  private final Duration futureTolerance;

  /** With the system clock and {@link #DEFAULT_FUTURE_TOLERANCE}. */
  public CanonicalRecordRules() {
    this(Clock.systemUTC(), DEFAULT_FUTURE_TOLERANCE);
  }

  public CanonicalRecordRules(Clock clock, Duration futureTolerance) {
    this.clock = clock;
    this.futureTolerance = futureTolerance;
  }

  public List<MappingIssue> check(CanonicalRecord r, MappingDefinition mapping) {
    Checker c = new Checker(mapping, new ArrayList<>());
    checkCitizenIdentifier(c, r.citizen());
    c.required("citizen.familyName", r.citizen().familyName());
    checkOrganisation(c, "sender", r.sender(), true);
    // The recipient's identifiers are not format-checked here: the addressing gate normalises,
    // classifies and checks them against the SOR registry (a SHAK code or "0088:<GLN>" is fixable,
    // a name alone yields suggestions), and journals why.
    if (r.recipient().sor() == null
        && r.recipient().gln() == null
        && r.recipient().name() == null) {
      c.issue(
          "recipient",
          "recipient-identified",
          "the recipient needs a SOR code, an EAN/GLN location number or at least a name");
    }
    c.required("author.familyName", r.author().familyName());
    c.required("author.phone", r.author().phone());
    checkText(c, r);
    checkCategory(c, r);
    checkAttachments(c, r.attachments());
    checkThread(c, r.thread());
    checkTimes(c, r);
    return c.issues;
  }

  // Times are only ever checked against the future: a record may be sent long after it was written.
  private void checkTimes(Checker c, CanonicalRecord r) {
    Instant latest = clock.instant().plus(futureTolerance);
    notInTheFuture(c, "sentAt", r.sentAt(), latest);
    for (int i = 0; i < r.attachments().size(); i++) {
      notInTheFuture(
          c, "attachments[" + i + "].creation", r.attachments().get(i).creation(), latest);
    }
  }

  private void notInTheFuture(Checker c, String field, OffsetDateTime time, Instant latest) {
    if (time != null && time.toInstant().isAfter(latest)) {
      c.issue(
          field,
          "not-in-the-future",
          "lies more than "
              + minutes(futureTolerance)
              + " minutes ahead of the gateway's clock: a wrong year or date, or a wrong clock at the"
              + " source (tolerance: gateway.intake.future-tolerance)");
    }
  }

  private static String minutes(Duration duration) {
    return String.valueOf(duration.toMinutes());
  }

  // A CPR number, or for a citizen without one a replacement CPR with its issuer (MedCom tec-04).
  private static void checkCitizenIdentifier(Checker c, CanonicalRecord.Citizen citizen) {
    if (citizen.cpr() == null && citizen.replacementCpr() != null) {
      if (c.required("citizen.replacementCprSystem", citizen.replacementCprSystem())
          && !MedComCodes.REPLACEMENT_CPR_SYSTEMS.contains(citizen.replacementCprSystem())) {
        c.issue(
            "citizen.replacementCprSystem",
            "replacement-cpr-system",
            "not an X-eCPR or D-eCPR issuer ("
                + String.join(", ", MedComCodes.REPLACEMENT_CPR_SYSTEMS)
                + ")");
      }
      if (!citizen.replacementCpr().matches("[0-9A-Za-z]{1,10}")) {
        c.issue(
            "citizen.replacementCpr",
            "replacement-cpr",
            "a replacement CPR is 1 to 10 letters or digits");
      }
      return;
    }
    if (c.required("citizen.cpr", citizen.cpr()) && !Cpr.isValid(citizen.cpr())) {
      c.issue("citizen.cpr", "cpr", "not a valid CPR number (10 digits, the first 6 a valid date)");
    }
  }

  // MedCom: payload:string is 1..* over the whole message. A new message needs its own text; a
  // reply
  // repeats every earlier text segment, and so does a forward of the whole thread, so these may add
  // attachments alone (a forward of chosen segments might pass on no text, so it needs its own).
  private static void checkText(Checker c, CanonicalRecord r) {
    if (r.text() != null) {
      return;
    }
    if (!carriesEarlierText(r.thread())) {
      c.issue(
          "text",
          "required",
          "a value is required: a new message (or a forward of chosen segments) needs a text"
              + " segment (MedCom payload:string 1..*); only a reply or a forward of the whole thread, which repeat"
              + " the earlier text, may add attachments alone");
    } else if (r.attachments().isEmpty()) {
      c.issue(
          "text",
          "text-or-attachment",
          "a reply or forward adds a text segment or at least one attachment");
    }
  }

  private static boolean carriesEarlierText(CanonicalRecord.ThreadReference thread) {
    return thread != null
        && (CanonicalRecord.ThreadReference.REPLY.equals(thread.action())
            || CanonicalRecord.ThreadReference.FORWARD.equals(thread.action())
                && thread.segments().isEmpty());
  }

  private static void checkThread(Checker c, CanonicalRecord.ThreadReference thread) {
    if (thread == null) {
      return;
    }
    String action = thread.action();
    if (!CanonicalRecord.ThreadReference.REPLY.equals(action)
        && !CanonicalRecord.ThreadReference.FORWARD.equals(action)) {
      c.issue("thread.action", "thread-action", "thread.action must be 'reply' or 'forward'");
    }
    if (thread.messageHeaderId() == null
        && thread.threadId() == null
        && thread.episodeOfCareId() == null) {
      c.issue(
          "thread",
          "thread-reference",
          "a reply or forward names the earlier message: thread.messageHeaderId, thread.threadId or thread.episodeOfCareId");
    }
    if (!thread.segments().isEmpty() && !CanonicalRecord.ThreadReference.FORWARD.equals(action)) {
      c.issue(
          "thread.segments",
          "segments-only-forward",
          "choosing segments is for forwards only; a reply repeats the whole thread (MedCom governance rule 6)");
    }
  }

  private static void checkOrganisation(
      Checker c, String name, Organisation o, boolean sorAndGlnRequired) {
    if (sorAndGlnRequired) {
      c.required(name + ".sor", o.sor());
      c.required(name + ".gln", o.gln());
    }
    if (o.sor() != null && !LocationNumbers.isWellFormedSor(o.sor())) {
      c.issue(name + ".sor", "sor-format", "a SOR code is 11 to 18 digits");
    }
    if (o.gln() != null && !LocationNumbers.isValidGln(o.gln())) {
      c.issue(
          name + ".gln",
          "gln-check-digit",
          "an EAN/GLN location number is 13 digits with a valid GS1 check digit");
    }
  }

  private static void checkCategory(Checker c, CanonicalRecord r) {
    if (c.required("category", r.category()) && !MedComCodes.CATEGORIES.containsKey(r.category())) {
      c.issue(
          "category", "medcom-category", "not one of the 18 MedCom CareCommunication categories");
    }
    if (MedComCodes.CATEGORY_OTHER.equals(r.category()) && r.topic() == null) {
      c.issue("topic", "topic-when-other", "a topic is required when the category is 'other'");
    }
    if (r.priority() != null) {
      if (!MedComCodes.PRIORITIES.contains(r.priority())) {
        c.issue("priority", "priority-code", "priority must be 'routine' or 'asap'");
      } else if (!MedComCodes.CATEGORY_REGARDING_REFERRAL.equals(r.category())) {
        c.issue(
            "priority",
            "priority-only-referral",
            "priority is only allowed with category 'regarding-referral'");
      }
    }
  }

  private static void checkAttachments(Checker c, List<Attachment> attachments) {
    for (int i = 0; i < attachments.size(); i++) {
      Attachment a = attachments.get(i);
      String prefix = "attachments[" + i + "].";
      c.required(prefix + "title", a.title());
      if (a.url() != null) {
        checkLink(c, prefix, a);
        continue;
      }
      if (c.required(prefix + "contentType", a.contentType())
          && !MedComCodes.ATTACHMENT_TYPES.contains(a.contentType())) {
        c.issue(
            prefix + "contentType",
            "attachment-type",
            "allowed types are "
                + String.join(", ", MedComCodes.ATTACHMENT_TYPES.stream().sorted().toList()));
      }
      if (c.required(prefix + "data", a.data()) && !isBase64(a.data())) {
        c.issue(prefix + "data", "base64", "attachment data must be base64");
      }
      checkAttachmentAuthor(c, prefix, a.author());
    }
  }

  // A web link (MedCom: contentAttachment.url) carries no data; a type, if given, is one MedCom
  // allows.
  private static void checkLink(Checker c, String prefix, Attachment a) {
    if (a.data() != null) {
      c.issue(
          prefix + "url", "data-or-url", "an attachment is either data or a web link, not both");
    }
    if (!a.url().matches("https?://[^\\s]+")) {
      c.issue(prefix + "url", "web-link", "a web link is an absolute http or https address");
    }
    if (a.contentType() != null && !MedComCodes.ATTACHMENT_TYPES.contains(a.contentType())) {
      c.issue(
          prefix + "contentType",
          "attachment-type",
          "allowed types are "
              + String.join(", ", MedComCodes.ATTACHMENT_TYPES.stream().sorted().toList()));
    }
    checkAttachmentAuthor(c, prefix, a.author());
  }

  // A structured attachment's own author signs its segment: a name and a phone number (MedCom
  // signature rules).
  private static void checkAttachmentAuthor(
      Checker c, String prefix, CanonicalRecord.Author author) {
    if (author != null) {
      c.required(prefix + "author.familyName", author.familyName());
      c.required(prefix + "author.phone", author.phone());
    }
  }

  private static boolean isBase64(String data) {
    try {
      Base64.getMimeDecoder().decode(data);
      return data.strip().matches("[A-Za-z0-9+/=\\s]+");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private record Checker(MappingDefinition mapping, List<MappingIssue> issues) {

    boolean required(String field, String value) {
      if (value == null) {
        issue(field, "required", "a value is required");
        return false;
      }
      return true;
    }

    void issue(String field, String rule, String message) {
      FieldRule fieldRule = mapping.fields().get(field);
      String origin = fieldRule == null ? null : fieldRule.origin();
      issues.add(new MappingIssue(field, origin, rule, message));
    }
  }
}
