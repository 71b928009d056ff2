package dk.sektorbro.gateway.ack;

import dk.sektorbro.gateway.delivery.DeliveryBookkeeping;
import dk.sektorbro.gateway.delivery.signing.PayloadSigning;
import dk.sektorbro.gateway.delivery.signing.SignatureRefused;
import dk.sektorbro.gateway.inbound.InboundMessages;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies MedCom Acknowledgements to the messages they answer, correlated by
 * {@code response.identifier} = the sent MessageHeader.id: {@code ok} ⇒ ACKNOWLEDGED,
 * {@code fatal-error} ⇒ REJECTED with the OperationOutcome in the history, {@code transient-error}
 * ⇒ resend later. Anything else (unknown id, duplicate, unreadable, refused signature) is
 * journaled in unmatched_acknowledgement and changes nothing.
 */
@Service
public class AcknowledgementService {

  static final String STAGE = "acknowledgement";
  private static final Logger log = LoggerFactory.getLogger(AcknowledgementService.class);
  private static final List<MessageState> AWAITING = List.of(MessageState.SENT, MessageState.RETRYING);

  private final AcknowledgementReader reader;
  private final Journal journal;
  private final DeliveryBookkeeping bookkeeping;
  private final UnmatchedAcknowledgements unmatched;
  private final PayloadSigning signing;
  private final InboundMessages inbound;
  private final TransactionTemplate tx;
  private final MeterRegistry meters;

  public AcknowledgementService(AcknowledgementReader reader, Journal journal, DeliveryBookkeeping bookkeeping,
      UnmatchedAcknowledgements unmatched, PayloadSigning signing, InboundMessages inbound, TransactionTemplate tx,
      MeterRegistry meters) {
    this.inbound = inbound;
    this.reader = reader;
    this.journal = journal;
    this.bookkeeping = bookkeeping;
    this.unmatched = unmatched;
    this.signing = signing;
    this.tx = tx;
    this.meters = meters;
  }

  /** What receiving a payload did, and for an inbound message the acknowledgement answering it. */
  public record Reception(AckOutcome outcome, String answer) {}

  /** From the inbound folder (FILE): acknowledgements, and messages from hospitals. */
  public AckOutcome receive(byte[] raw, String channel) {
    return receiveMessage(raw, channel).outcome();
  }

  /**
   * From the inbound folder or {@code POST /fhir/$process-message}; verified first when
   * configured. An acknowledgement is applied; any other FHIR message goes to {@link InboundMessages}
   * (acknowledgements are never acknowledged).
   */
  public Reception receiveMessage(byte[] raw, String channel) {
    byte[] content = raw;
    if (signing.verifiesInbound()) {
      try {
        content = signing.verify(raw);
      } catch (SignatureRefused e) {
        unmatched.record(channel, null, null, "signature refused: " + e.getMessage(), null);
        return new Reception(counted(AckOutcome.SIGNATURE_REFUSED, channel), null);
      }
    }
    String text = new String(content, StandardCharsets.UTF_8);
    Acknowledgement ack;
    try {
      ack = reader.read(text);
    } catch (NotAnAcknowledgement e) {
      if (e.otherMessage()) {
        InboundMessages.Answer answer = inbound.receive(text, channel);
        return new Reception(counted(AckOutcome.INBOUND_MESSAGE, channel), answer.ackMessage());
      }
      unmatched.record(channel, null, null, e.getMessage(), null);
      return new Reception(counted(AckOutcome.UNREADABLE, channel), null);
    }
    return new Reception(counted(apply(ack, text, channel), channel), null);
  }

  /** The body of an HTTP transport's response: an acknowledgement when it is one, else ignored. */
  public void receiveInResponse(String entryId, String body) {
    Acknowledgement ack;
    try {
      ack = reader.read(body);
    } catch (NotAnAcknowledgement e) {
      journal.find(entryId).ifPresent(entry -> journal.note(entryId, entry.state(), STAGE,
          "endpoint response is not an acknowledgement; waiting for one"));
      return;
    }
    counted(apply(ack, body, "HTTP_RESPONSE"), "HTTP_RESPONSE");
  }

  private AckOutcome apply(Acknowledgement ack, String text, String channel) {
    JournalEntry entry = journal.findIdByMessageHeaderId(ack.responseIdentifier()).flatMap(journal::find).orElse(null);
    if (entry == null) {
      unmatched.record(channel, ack, null, "no sent message has MessageHeader id " + ack.responseIdentifier(), text);
      return AckOutcome.UNMATCHED;
    }
    if (!AWAITING.contains(entry.state())) {
      boolean duplicate = entry.state() == MessageState.ACKNOWLEDGED || entry.state() == MessageState.REJECTED;
      String reason = (duplicate ? "duplicate acknowledgement" : "acknowledgement for a message in state "
          + entry.state()) + " (" + ack.code() + ", ack MessageHeader " + ack.messageHeaderId() + ") ignored";
      tx.executeWithoutResult(s -> {
        journal.note(entry.id(), entry.state(), STAGE, reason, ack.operationOutcome());
        unmatched.record(channel, ack, entry.id(), reason, text);
      });
      return duplicate ? AckOutcome.DUPLICATE : AckOutcome.UNMATCHED;
    }
    applyTo(entry, ack);
    return AckOutcome.APPLIED;
  }

  private void applyTo(JournalEntry entry, Acknowledgement ack) {
    String from = " (ack MessageHeader " + ack.messageHeaderId() + ", Bundle " + ack.bundleId() + ")";
    String codes = ack.summary() == null ? "" : ": " + ack.summary();
    switch (ack.code()) {
      case Acknowledgement.OK -> tx.executeWithoutResult(s -> {
        journal.transition(entry.id(), AWAITING, MessageState.ACKNOWLEDGED, STAGE,
            "acknowledged ok by the recipient" + from, ack.operationOutcome());
        bookkeeping.forget(entry.id());
      });
      case Acknowledgement.FATAL_ERROR -> tx.executeWithoutResult(s -> {
        journal.transition(entry.id(), AWAITING, MessageState.REJECTED, STAGE,
            "rejected by the recipient with fatal-error" + codes + from, ack.operationOutcome());
        bookkeeping.forget(entry.id());
      });
      default -> tx.executeWithoutResult(s -> {
        journal.note(entry.id(), entry.state(), STAGE,
            "recipient answered transient-error" + codes + from + "; resend scheduled", ack.operationOutcome());
        bookkeeping.resendLater(entry.id(), entry.recipientGln());
      });
    }
    log.info("acknowledgement applied id={} code={}", entry.id(), ack.code());
  }

  private AckOutcome counted(AckOutcome outcome, String channel) {
    meters.counter("gateway.acknowledgements", "outcome", outcome.name(), "channel", channel).increment();
    return outcome;
  }
}
