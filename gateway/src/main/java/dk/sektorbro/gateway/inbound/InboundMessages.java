package dk.sektorbro.gateway.inbound;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dk.sektorbro.gateway.delivery.DeliveryProperties;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.delivery.Transports;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder.AckIssue;
import dk.sektorbro.gateway.record.LocationNumbers;
import dk.sektorbro.gateway.threads.ThreadJournal;
import dk.sektorbro.gateway.validation.MessageValidator;
import dk.sektorbro.gateway.validation.ValidationReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/**
 * Messages coming back from hospitals (replies, new CareCommunications, HospitalNotifications):
 * de-duplicated on MessageHeader.id (a duplicate gets the first answer again and is not handed
 * over twice), validated against the message family's chain, handed to the municipal system
 * serving the receiver ({@link Handover}), and answered with a MedCom Acknowledgement:
 * ok, fatal-error on validation failure, transient-error on an internal error (then nothing is
 * stored, so the sender's resend is processed afresh).
 */
@Service
public class InboundMessages {

  private static final Logger log = LoggerFactory.getLogger(InboundMessages.class);

  private final FhirContext fhir;
  private final MessageValidator validator;
  private final InboundRepository repository;
  private final Transports transports;
  private final DeliveryProperties delivery;
  private final Handover handover;
  private final Clock clock;
  private final MeterRegistry meters;
  private final ThreadJournal threads;

  public InboundMessages(FhirContext fhir, MessageValidator validator, InboundRepository repository,
      Transports transports, DeliveryProperties delivery, Handover handover, Clock clock, MeterRegistry meters,
      ThreadJournal threads) {
    this.threads = threads;
    this.fhir = fhir;
    this.validator = validator;
    this.repository = repository;
    this.transports = transports;
    this.delivery = delivery;
    this.handover = handover;
    this.clock = clock;
    this.meters = meters;
  }

  /** What was answered: the acknowledgement (encoded like the message) and its code. */
  public record Answer(String ackMessage, String responseCode, boolean duplicate) {}

  /** @param channel FILE (the ack goes to the sender's postbox) or HTTP (the caller gets it as the answer) */
  public Answer receive(String text, String channel) {
    boolean xml = text.stripLeading().startsWith("<");
    IParser parser = xml ? fhir.newXmlParser() : fhir.newJsonParser();
    Bundle bundle = parser.parseResource(Bundle.class, text);
    EnvelopeFacts facts = EnvelopeFacts.of(bundle);
    Optional<InboundRecord> seen = repository.byMessageHeaderId(facts.messageHeaderId());
    if (seen.isPresent()) {
      repository.countDuplicate(seen.get().id());
      log.info("inbound duplicate id={} messageHeaderId={}", seen.get().id(), facts.messageHeaderId());
      return send(new Answer(seen.get().ackMessage(), seen.get().responseCode(), true), facts, xml, channel);
    }
    String code;
    String reason;
    Handover.Result handover = null;
    List<AckIssue> issues;
    if (repository.bundleSeen(bundle.getIdPart())) {
      code = "fatal-error";
      reason = "Bundle.id was used before with another MessageHeader.id";
      issues = List.of(new AckIssue("MSG_DUPLICATE_ID", reason));
    } else {
      try {
        ValidationReport report = validator.validate(messageType(facts.eventCode()), text, xml ? "XML" : "JSON");
        if (report.valid()) {
          handover = this.handover.handOver(bundle, facts, text, xml);
          // Kept for replies and forwards from the municipal systems (issue 13, sending side).
          if ("care-communication-message".equals(facts.eventCode())) {
            threads.rememberReceived(bundle, text);
          }
          // A message kept from its system (no consent for onward disclosure) was still received:
          // the hospital gets ok, the municipality deals with the consent (docs/delivery.md).
          code = "ok";
          reason = "valid (" + report.chain() + "); " + handover.reason();
          issues = List.of();
        } else {
          code = "fatal-error";
          reason = "invalid against " + report.chain() + ": " + report.errors().size() + " error(s)";
          issues = report.errors().stream().limit(20)
              .map(i -> new AckIssue("MSG_BAD_SYNTAX", i.location() + ": " + i.message())).toList();
        }
      } catch (IOException | RuntimeException e) {
        log.warn("inbound processing failed messageHeaderId={} cause={}", facts.messageHeaderId(),
            e.getClass().getSimpleName());
        Bundle ack = AcknowledgementBuilder.build(bundle, "transient-error",
            List.of(new AckIssue("MSG_CANT_PROCESS", "internal error; send again later")), Date.from(clock.instant()));
        return send(new Answer(parser.encodeResourceToString(ack), "transient-error", false), facts, xml, channel);
      }
    }
    Bundle ack = AcknowledgementBuilder.build(bundle, code, issues, Date.from(clock.instant()));
    String encoded = parser.setPrettyPrint(true).encodeResourceToString(ack);
    InboundRecord record = new InboundRecord(UUID.randomUUID().toString(), bundle.getIdPart(),
        facts.messageHeaderId(), code, reason, handover == null ? null : handover.path(), encoded);
    repository.insert(record, OffsetDateTime.now(clock), channel, facts.eventCode(), facts.senderGln(),
        facts.receiverGln(), ack.getEntryFirstRep().getResource().getIdElement().getIdPart(), handover, text);
    log.info("inbound message id={} messageHeaderId={} answer={} system={} handover={}", record.id(),
        facts.messageHeaderId(), code, handover == null ? null : handover.system(),
        handover == null ? null : handover.status());
    meters.counter("gateway.inbound.messages", "answer", code,
        "system", handover == null || handover.system() == null ? "none" : handover.system(),
        "handover", handover == null ? "none" : handover.status().name()).increment();
    return send(new Answer(encoded, code, false), facts, xml, channel);
  }

  /** Folder messages are answered in the sender's postbox; HTTP callers get the answer in the response. */
  private Answer send(Answer answer, EnvelopeFacts facts, boolean xml, String channel) {
    if (!"FILE".equals(channel)) {
      return answer;
    }
    if (!LocationNumbers.isValidGln(facts.senderGln())) {
      log.warn("inbound acknowledgement not sent: sender has no valid GLN messageHeaderId={}", facts.messageHeaderId());
      return answer;
    }
    String ackId = UUID.randomUUID().toString();
    DeliveryProperties.RecipientRoute route = delivery.routeFor(facts.senderGln());
    try {
      transports.of(route.transport()).send(new OutboundMessage(null, facts.senderGln(), ackId,
          answer.ackMessage().getBytes(StandardCharsets.UTF_8), xml ? "application/fhir+xml" : "application/fhir+json",
          xml ? "xml" : "json"), route);
    } catch (IOException | RuntimeException e) {
      // The answer is stored: the sender's resend of the message gets it again.
      log.warn("inbound acknowledgement not delivered messageHeaderId={} cause={}", facts.messageHeaderId(),
          e.getClass().getSimpleName());
    }
    return answer;
  }

  private static String messageType(String eventCode) {
    return switch (eventCode == null ? "" : eventCode) {
      case "care-communication-message" -> "CareCommunication";
      case "hospital-notification-message" -> "HospitalNotification";
      default -> eventCode;
    };
  }
}
