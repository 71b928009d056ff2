package dk.sektorbro.gateway.inbound;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dk.sektorbro.gateway.addressing.RegistryService;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder.AckIssue;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.record.LocationNumbers;
import dk.sektorbro.gateway.threads.ThreadJournal;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MessageValidator;
import dk.sektorbro.gateway.validation.ValidationReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Messages coming back from hospitals (replies, new CareCommunications, HospitalNotifications):
 * de-duplicated on MessageHeader.id (a duplicate gets the first answer again and is not handed over
 * twice), validated against the message family's chain, handed to the municipal system serving the
 * receiver ({@link Handover}), and answered with a MedCom Acknowledgement: ok; fatal-error for what
 * a resend cannot change (invalid, receiver not served here, Bundle.id reused, a MessageHeader id
 * that cannot be handed over); transient-error on an internal error (then nothing is stored, so the
 * sender's resend is processed afresh). The acknowledgement is validated against the
 * Acknowledgement chain before it is sent; a duplicate gets the first response in an
 * acknowledgement of its own (new Bundle.id and timestamp).
 */
@Service
public class InboundMessages {

  private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);

  private final FhirContext fhir;
  private final MessageValidator validator;
  private final InboundRepository repository;
  private final Handover handover;
  private final Clock clock;
  private final MeterRegistry meters;
  private final String fullUrlBase;
  private final ThreadJournal threads;
  private final HospitalAcks acks;
  private final TransactionTemplate tx;
  private final RegistryService registry;

  public InboundMessages(
      FhirContext fhir,
      MessageValidator validator,
      InboundRepository repository,
      Handover handover,
      Clock clock,
      MeterRegistry meters,
      GatewayProperties gateway,
      ThreadJournal threads,
      HospitalAcks acks,
      TransactionTemplate tx,
      RegistryService registry) {
    this.registry = registry;
    this.acks = acks;
    this.tx = tx;
    this.fullUrlBase = gateway.delivery().fullUrlBase();
    this.threads = threads;
    this.fhir = fhir;
    this.validator = validator;
    this.repository = repository;
    this.handover = handover;
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * What was answered: the acknowledgement (encoded like the message), its code, and whether it may
   * be sent.
   */
  public record Answer(
      String ackMessage,
      String responseCode,
      boolean duplicate,
      boolean ackValid,
      List<AckIssue> issues) {}

  /** What the gateway decided for a new message; {@code transientFailure}: nothing is stored. */
  private record Decision(
      String code,
      String reason,
      List<AckIssue> issues,
      Handover.Result handover,
      boolean transientFailure) {}

  /** Recent received messages, newest first, optionally of one hand-over status (API). */
  public List<InboundRepository.InboundMessageRow> recent(String handoverStatus, int size) {
    return repository.recent(handoverStatus, size);
  }

  /**
   * @param channel FILE (the ack goes to the sender's postbox) or HTTP (the caller gets it as the
   *     answer)
   */
  public Answer receive(String text, String channel) {
    boolean xml = text.stripLeading().startsWith("<");
    IParser parser = (xml ? fhir.newXmlParser() : fhir.newJsonParser()).setPrettyPrint(true);
    Bundle bundle = parser.parseResource(Bundle.class, text);
    EnvelopeFacts facts = EnvelopeFacts.of(bundle);
    String hash = ContentHash.of(bundle);
    Optional<InboundRecord> seen = repository.byMessageHeaderId(facts.messageHeaderId());
    if (seen.isPresent()) {
      return send(duplicate(seen.get(), bundle, hash, facts, xml, parser), facts, xml, channel);
    }
    // Validated outside any transaction: HAPI may take a second, and no database connection is
    // held meanwhile.
    Checked checked = check(bundle, facts, text, xml);
    // Then one reception per MessageHeader id at a time (the copies of a message sent twice at
    // once, on any node), from the second look-up for a duplicate to the journal row; the
    // acknowledgement is sent once that row is committed.
    Answer answer =
        tx.execute(
            status -> {
              repository.lockMessageHeaderId(facts.messageHeaderId());
              Optional<InboundRecord> meanwhile =
                  repository.byMessageHeaderId(facts.messageHeaderId());
              if (meanwhile.isPresent()) {
                return duplicate(meanwhile.get(), bundle, hash, facts, xml, parser);
              }
              return answer(bundle, hash, facts, text, xml, parser, channel, checked, status);
            });
    return send(answer, facts, xml, channel);
  }

  /**
   * The first answer again, in an acknowledgement of its own (new Bundle.id and time): MedCom
   * recognises a duplicate by its MessageHeader id and answers it as the first copy. A copy whose
   * content differs (changed content sent under old ids, which MedCom says is a new message with
   * new ids) is not handed over either, but journaled on the first one's row for an administrator
   * (docs/delivery.md), logged and counted.
   */
  private Answer duplicate(
      InboundRecord first,
      Bundle copy,
      String hash,
      EnvelopeFacts facts,
      boolean xml,
      IParser parser) {
    repository.countDuplicate(first.id());
    if (first.contentHash() != null && !first.contentHash().equals(hash)) {
      repository.recordConflict(first.id(), hash, copy.getIdPart(), OffsetDateTime.now(clock));
      log.warn(
          "inbound MessageHeader id received again with other content, not handed over id={}"
              + " messageHeaderId={} bundleId={}",
          first.id(),
          facts.messageHeaderId(),
          copy.getIdPart());
      meters.counter("gateway.inbound.content.conflicts").increment();
    } else {
      log.info("inbound duplicate id={} messageHeaderId={}", first.id(), facts.messageHeaderId());
    }
    // The first answer is stored as the first copy came (XML or JSON); a resend in the other
    // format was a 500 (DataFormatException) instead of the first answer, in its own format.
    boolean storedXml = first.ackMessage().stripLeading().startsWith("<");
    Bundle stored =
        (storedXml ? fhir.newXmlParser() : fhir.newJsonParser())
            .parseResource(Bundle.class, first.ackMessage());
    Bundle again = AcknowledgementBuilder.restamp(stored, Date.from(clock.instant()));
    String encoded = parser.encodeResourceToString(again);
    return new Answer(
        encoded,
        first.responseCode(),
        true,
        ackValid(encoded, xml, facts),
        AcknowledgementBuilder.issues(stored));
  }

  private Answer answer(
      Bundle bundle,
      String hash,
      EnvelopeFacts facts,
      String text,
      boolean xml,
      IParser parser,
      String channel,
      Checked checked,
      TransactionStatus status) {
    Decision decision = decide(bundle, facts, text, checked);
    Bundle ack =
        AcknowledgementBuilder.build(
            bundle, decision.code(), decision.issues(), Date.from(clock.instant()), fullUrlBase);
    String encoded = parser.encodeResourceToString(ack);
    if (!"ok".equals(decision.code()) && !ackReport(encoded, xml).valid()) {
      // What it copies from the received message (its Provenance, its endpoints) may be what is
      // wrong with it: then it copies nothing.
      ack =
          AcknowledgementBuilder.build(
              bundle,
              decision.code(),
              decision.issues(),
              Date.from(clock.instant()),
              fullUrlBase,
              false);
      encoded = parser.encodeResourceToString(ack);
    }
    boolean valid = ackValid(encoded, xml, facts);
    if (decision.transientFailure()) {
      // Nothing is kept (a thread row written before the failure neither): the resend is new.
      status.setRollbackOnly();
      return new Answer(encoded, decision.code(), false, valid, decision.issues());
    }
    Handover.Result handover = decision.handover();
    String reason =
        valid
            ? decision.reason()
            : decision.reason() + "; our acknowledgement failed validation: not sent";
    InboundRecord record =
        new InboundRecord(
            UUID.randomUUID().toString(),
            bundle.getIdPart(),
            facts.messageHeaderId(),
            decision.code(),
            reason,
            handover == null ? null : handover.path(),
            encoded,
            hash);
    repository.insert(
        record,
        OffsetDateTime.now(clock),
        channel,
        facts.eventCode(),
        facts.senderGln(),
        facts.receiverGln(),
        ack.getEntryFirstRep().getResource().getIdElement().getIdPart(),
        handover,
        text);
    // Logged and counted once the row is committed (the journal's rule): a reception whose
    // transaction rolls back is received again, not counted twice.
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            received(record, facts, decision.code(), handover);
            if (checked.senderNote() != null && handover != null) {
              log.warn(
                  "inbound message from a postbox not registered for its type or FCTL id={}"
                      + " senderGln={}",
                  record.id(),
                  facts.senderGln());
              meters.counter("gateway.inbound.sender.unregistered").increment();
            }
          }
        });
    return new Answer(encoded, decision.code(), false, valid, decision.issues());
  }

  private void received(
      InboundRecord record, EnvelopeFacts facts, String code, Handover.Result handover) {
    log.info(
        "inbound message id={} messageHeaderId={} answer={} system={} handover={}",
        record.id(),
        facts.messageHeaderId(),
        code,
        handover == null ? null : handover.system(),
        handover == null ? null : handover.status());
    meters
        .counter(
            "gateway.inbound.messages",
            "answer",
            code,
            "system",
            handover == null || handover.system() == null ? "none" : handover.system(),
            "handover",
            handover == null ? "none" : handover.status().name())
        .increment();
  }

  /**
   * What the message itself decides, before any journal look-up: a refusal (fatal-error) for
   * whatever will not change on a resend (ids, receiver unknown here, message type, invalid), a
   * transient-error when the validator failed, MedCom's empty message answered ok, or valid against
   * {@code chain} and to be handed over.
   */
  private record Checked(Decision decided, String chain, String senderNote) {}

  private Checked check(Bundle bundle, EnvelopeFacts facts, String text, boolean xml) {
    if (!HandoverFileNames.legal(bundle.getIdPart())
        || !HandoverFileNames.legal(facts.messageHeaderId())) {
      // Journaled cut to the column: the whole id is no FHIR id, and no resend can change that.
      String reason = "Bundle.id or MessageHeader.id is not a legal FHIR id ([A-Za-z0-9-.]{1,64})";
      return refused(fatal(reason, AckIssue.fhir("MSG_INVALID_ID", reason)));
    }
    if (facts.receiverGln() == null && facts.receiverSor() == null) {
      String reason =
          "the message names no receiver (MessageHeader.destination.receiver with a GLN)";
      return refused(fatal(reason, AckIssue.medcom("MSG_Receiver_Identifier_MISSING", reason)));
    }
    if (!handover.serves(facts)) {
      String reason =
          "receiver GLN "
              + facts.receiverGln()
              + " / SOR "
              + facts.receiverSor()
              + " is not served here";
      return refused(fatal(reason, AckIssue.medcom("MSG_Receiver_Identifier_UNKNOWN", reason)));
    }
    Optional<String> contradiction =
        ReceiverCheck.contradiction(
            facts.receiverSor(), facts.receiverGln(), registry.active().orElse(null));
    if (contradiction.isPresent()) {
      // Served by one of the two identifiers only: meant for another unit, or for no one.
      return refused(
          fatal(
              contradiction.get(),
              AckIssue.medcom("MSG_Receiver_Identifier_UNKNOWN", contradiction.get())));
    }
    String messageType = messageType(facts.eventCode());
    if (messageType == null) {
      // Validated against base R4 only, a HomeCareObservation or a made-up event was answered ok
      // and handed over: MedCom's receiver validates against the message's own profiles.
      String reason =
          "this gateway receives CareCommunication, HospitalNotification and MedCom's empty"
              + " message only, not event "
              + facts.eventCode();
      return refused(
          fatal(reason, AckIssue.medcom("MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE", reason)));
    }
    ValidationReport report;
    try {
      report = validator.validate(messageType, text, xml ? "XML" : "JSON");
    } catch (RuntimeException e) {
      return refused(internalError(facts, e));
    }
    if (!report.valid()) {
      return refused(
          new Decision(
              "fatal-error",
              "invalid against " + report.chain() + ": " + report.errors().size() + " error(s)",
              report.errors().stream()
                  .limit(20)
                  .map(i -> AckIssue.fhir("MSG_BAD_SYNTAX", i.location() + ": " + i.message()))
                  .toList(),
              null,
              false));
    }
    if (MedComCodes.EVENT_EMPTY.equals(facts.eventCode())) {
      // MedCom's message with no content (the network's test message): answered, journaled, and
      // nothing for a municipal system's import folder.
      return refused(
          new Decision(
              "ok",
              "valid (" + report.chain() + "); MedCom's empty message: nothing to hand over",
              List.of(),
              null,
              false));
    }
    Optional<String> sender =
        SenderPostbox.unregistered(
            facts.senderGln(), facts.eventCode(), registry.active().orElse(null));
    return new Checked(null, report.chain(), sender.orElse(null));
  }

  private static Checked refused(Decision decision) {
    return new Checked(decision, null, null);
  }

  /**
   * Under the MessageHeader id's lock: a Bundle.id used before with another MessageHeader.id is
   * refused; what the message itself decided stands; a valid message is handed over (ok), refused
   * for good by the hand-over (fatal-error), or answered transient-error on an internal failure
   * (file system, database): then nothing is stored and the resend is processed afresh.
   */
  private Decision decide(Bundle bundle, EnvelopeFacts facts, String text, Checked checked) {
    if (repository.bundleSeen(bundle.getIdPart())) {
      String reason = "Bundle.id was used before with another MessageHeader.id";
      return fatal(reason, AckIssue.fhir("MSG_DUPLICATE_ID", reason));
    }
    if (checked.decided() != null) {
      return checked.decided();
    }
    boolean xml = text.stripLeading().startsWith("<");
    try {
      Handover.Result result = this.handover.handOver(bundle, facts, text, xml);
      // Kept for replies and forwards from the municipal systems (issue 13, sending side).
      if (MedComCodes.EVENT_CARE_COMMUNICATION.equals(facts.eventCode())) {
        threads.rememberReceived(bundle, text);
      }
      // A message kept from its system (no consent for onward disclosure) was still received:
      // the hospital gets ok, the municipality deals with the consent (docs/delivery.md).
      String reason = "valid (" + checked.chain() + "); " + result.reason();
      if (checked.senderNote() != null) {
        // Counted once the row is committed, with the reception (received()).
        reason += "; " + checked.senderNote();
      }
      return new Decision("ok", reason, List.of(), result, false);
    } catch (HandoverRefused e) {
      return fatal(e.getMessage(), AckIssue.fhir(e.issueCode(), e.getMessage()));
    } catch (IOException | RuntimeException e) {
      return internalError(facts, e);
    }
  }

  private Decision internalError(EnvelopeFacts facts, Exception e) {
    log.warn(
        "inbound processing failed messageHeaderId={} cause={}",
        facts.messageHeaderId(),
        e.getClass().getSimpleName());
    return new Decision(
        "transient-error",
        "internal error: " + e.getClass().getSimpleName(),
        List.of(
            AckIssue.medcom(
                "MSG_Mailbox_Out_Of_Operation",
                "internal error at the receiving gateway; send again later")),
        null,
        true);
  }

  private ValidationReport ackReport(String encoded, boolean xml) {
    return validator.validate(ChainDefinition.ACKNOWLEDGEMENT, encoded, xml ? "XML" : "JSON");
  }

  private static Decision fatal(String reason, AckIssue issue) {
    return new Decision("fatal-error", reason, List.of(issue), null, false);
  }

  /**
   * Every acknowledgement is validated against its chain before it is sent (MedCom: only valid
   * messages are sent).
   */
  private boolean ackValid(String encoded, boolean xml, EnvelopeFacts facts) {
    ValidationReport report = ackReport(encoded, xml);
    if (!report.valid()) {
      ValidationReport.Issue first = report.errors().get(0);
      log.error(
          "our acknowledgement is invalid, not sent messageHeaderId={} errors={} first=\"{}: {}\"",
          facts.messageHeaderId(),
          report.errors().size(),
          first.location(),
          first.message());
      meters.counter("gateway.inbound.acknowledgements.invalid").increment();
    }
    return report.valid();
  }

  /**
   * Folder messages are answered in the sender's postbox; HTTP callers get the answer in the
   * response.
   */
  private Answer send(Answer answer, EnvelopeFacts facts, boolean xml, String channel) {
    if (!"FILE".equals(channel) || !answer.ackValid()) {
      return answer;
    }
    if (!LocationNumbers.isValidGln(facts.senderGln())) {
      log.warn(
          "inbound acknowledgement not sent: sender has no valid GLN messageHeaderId={}",
          facts.messageHeaderId());
      return answer;
    }
    // Through the work engine: sent at once, retried with back-off on any node when the postbox
    // fails.
    acks.send(facts.senderGln(), facts.messageHeaderId(), answer.ackMessage(), xml);
    return answer;
  }

  /** The chain a received message of this event is validated with; null: not received here. */
  private static String messageType(String eventCode) {
    return switch (eventCode == null ? "" : eventCode) {
      case "care-communication-message" -> ChainDefinition.CARE_COMMUNICATION;
      case "hospital-notification-message" -> ChainDefinition.HOSPITAL_NOTIFICATION;
      // MedCom's test message: a plain medcom-messaging-message, whose messaging 2.1.0 profile the
      // Acknowledgement chain holds.
      case "empty-message" -> ChainDefinition.ACKNOWLEDGEMENT;
      default -> null;
    };
  }
}
