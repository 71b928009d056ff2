package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.delivery.DeliveryBookkeeping;
import dk.sektorbro.gateway.delivery.TransportResponses;
import dk.sektorbro.gateway.delivery.signing.PayloadSigning;
import dk.sektorbro.gateway.delivery.signing.SignatureRefused;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MessageValidator;
import dk.sektorbro.gateway.validation.ValidationReport;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies MedCom Acknowledgements to the messages they answer, correlated by {@code
 * response.identifier} = the sent MessageHeader.id: {@code ok} ⇒ ACKNOWLEDGED, {@code fatal-error}
 * ⇒ REJECTED with the OperationOutcome in the history, {@code transient-error} ⇒ resend later. An
 * acknowledgement is first validated against the Acknowledgement chain, and it applies only to a
 * message sent to the organisation that sends it: the acknowledgement's sender GLN must be the
 * message's recipient GLN (MessageHeader ids are not secrets, and another organisation's
 * acknowledgement must not close a message sent to someone else). Anything else (invalid, unknown
 * id, other organisation, duplicate, unreadable, refused signature) is journaled in
 * unmatched_acknowledgement and changes nothing.
 */
@Service
public class AcknowledgementService implements TransportResponses {

  static final String STAGE = "acknowledgement";
  private static final Logger log = LoggerFactory.getLogger(AcknowledgementService.class);

  /**
   * The states an acknowledgement applies in. VALIDATED too: a delivery attempt has the message in
   * hand and moves it to SENT only once the transport returned, and a recipient that acknowledges
   * on another channel (its own $process-message call, the inbound folder) can be faster than that
   * commit. The acknowledgement names this message's MessageHeader id, so the recipient holds it;
   * the attempt that is still under way then finds the entry moved on and notes where the message
   * went (DeliveryBookkeeping#sent).
   */
  private static final List<MessageState> AWAITING =
      List.of(MessageState.SENT, MessageState.RETRYING, MessageState.VALIDATED);

  private final AcknowledgementReader reader;
  private final Journal journal;
  private final DeliveryBookkeeping bookkeeping;
  private final UnmatchedAcknowledgements unmatched;
  private final PayloadSigning signing;
  private final InboundMessages inbound;
  private final TransactionTemplate tx;
  private final MeterRegistry meters;
  private final MessageValidator validator;
  private final EarlierTranslations earlier;

  public AcknowledgementService(
      AcknowledgementReader reader,
      Journal journal,
      DeliveryBookkeeping bookkeeping,
      UnmatchedAcknowledgements unmatched,
      PayloadSigning signing,
      InboundMessages inbound,
      TransactionTemplate tx,
      MeterRegistry meters,
      MessageValidator validator,
      EarlierTranslations earlier) {
    this.earlier = earlier;
    this.validator = validator;
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
  public record Reception(
      AckOutcome outcome,
      String answer,
      boolean answerValid,
      String detail,
      String responseCode,
      List<AcknowledgementBuilder.AckIssue> issues) {

    Reception(AckOutcome outcome) {
      this(outcome, null, true, null);
    }

    Reception(AckOutcome outcome, String answer, boolean answerValid, String detail) {
      this(outcome, answer, answerValid, detail, null, List.of());
    }
  }

  /** From the inbound folder (FILE): acknowledgements, and messages from hospitals. */
  /** Acknowledgements that changed nothing, newest first, for an admin to look into. */
  public List<UnmatchedAcknowledgements.UnmatchedRow> unmatched(int limit) {
    return unmatched.recent(limit);
  }

  public AckOutcome receive(byte[] raw, String channel) {
    return receiveMessage(raw, channel).outcome();
  }

  /**
   * From the inbound folder or {@code POST /fhir/$process-message}; verified first when configured.
   * An acknowledgement is applied; any other FHIR message goes to {@link InboundMessages}
   * (acknowledgements are never acknowledged).
   */
  public Reception receiveMessage(byte[] raw, String channel) {
    byte[] content = raw;
    if (signing.verifiesInbound()) {
      try {
        content = signing.verify(raw);
      } catch (SignatureRefused e) {
        unmatched.record(channel, null, null, "signature refused: " + e.getMessage(), null);
        return new Reception(counted(AckOutcome.SIGNATURE_REFUSED, channel));
      }
    }
    String text = withoutByteOrderMark(new String(content, StandardCharsets.UTF_8));
    Acknowledgement ack;
    try {
      ack = reader.read(text);
    } catch (NotAnAcknowledgement e) {
      if (e.otherMessage()) {
        InboundMessages.Answer answer = inbound.receive(text, channel);
        return new Reception(
            counted(AckOutcome.INBOUND_MESSAGE, channel),
            answer.ackMessage(),
            answer.ackValid(),
            null,
            answer.responseCode(),
            answer.issues());
      }
      unmatched.record(channel, null, null, e.getMessage(), null);
      return new Reception(counted(AckOutcome.UNREADABLE, channel));
    }
    ValidationReport report =
        validator.validate(
            ChainDefinition.ACKNOWLEDGEMENT,
            text,
            text.stripLeading().startsWith("<") ? "XML" : "JSON");
    if (!report.valid()) {
      return new Reception(
          counted(invalid(ack, report, text, channel), channel), null, true, firstError(report));
    }
    return new Reception(counted(apply(ack, text, channel), channel));
  }

  private AckOutcome invalid(
      Acknowledgement ack, ValidationReport report, String text, String channel) {
    unmatched.record(
        channel,
        ack,
        null,
        "invalid acknowledgement, not applied: "
            + report.errors().size()
            + " error(s) against "
            + report.chain()
            + "; first: "
            + firstError(report),
        text);
    log.warn(
        "acknowledgement invalid, not applied responseIdentifier={} errors={}",
        ack.responseIdentifier(),
        report.errors().size());
    return AckOutcome.INVALID;
  }

  private static String firstError(ValidationReport report) {
    ValidationReport.Issue first = report.errors().get(0);
    return first.location() + ": " + first.message();
  }

  @Override
  public void responded(String entryId, String body) {
    receiveInResponse(entryId, body);
  }

  /** The body of an HTTP transport's response: an acknowledgement when it is one, else ignored. */
  public void receiveInResponse(String entryId, String response) {
    String body = withoutByteOrderMark(response);
    Acknowledgement ack;
    try {
      ack = reader.read(body);
    } catch (NotAnAcknowledgement e) {
      journal
          .find(entryId)
          .ifPresent(
              entry ->
                  journal.note(
                      entryId,
                      entry.state(),
                      STAGE,
                      "endpoint response is not an acknowledgement; waiting for one"));
      return;
    }
    ValidationReport report =
        validator.validate(
            ChainDefinition.ACKNOWLEDGEMENT,
            body,
            body.stripLeading().startsWith("<") ? "XML" : "JSON");
    counted(
        report.valid()
            ? apply(ack, body, "HTTP_RESPONSE")
            : invalid(ack, report, body, "HTTP_RESPONSE"),
        "HTTP_RESPONSE");
  }

  private AckOutcome apply(Acknowledgement ack, String text, String channel) {
    JournalEntry entry =
        journal
            .findIdByMessageHeaderId(ack.responseIdentifier())
            .flatMap(journal::find)
            .orElse(null);
    if (entry == null) {
      return earlierTranslation(ack, text, channel)
          .orElseGet(
              () -> {
                unmatched.record(
                    channel,
                    ack,
                    null,
                    "no sent message has MessageHeader id " + ack.responseIdentifier(),
                    text);
                return AckOutcome.UNMATCHED;
              });
    }
    if (entry.recipientGln() == null || !entry.recipientGln().equals(ack.senderGln())) {
      String reason =
          "acknowledgement from GLN "
              + ack.senderGln()
              + " for a message sent to GLN "
              + entry.recipientGln()
              + " ("
              + ack.code()
              + ", ack MessageHeader "
              + ack.messageHeaderId()
              + ") ignored";
      tx.executeWithoutResult(
          s -> {
            journal.note(entry.id(), entry.state(), STAGE, reason, null);
            unmatched.record(channel, ack, entry.id(), reason, text);
          });
      log.warn("acknowledgement from another organisation ignored id={}", entry.id());
      return AckOutcome.UNMATCHED;
    }
    if (!AWAITING.contains(entry.state())) {
      boolean duplicate =
          entry.state() == MessageState.ACKNOWLEDGED || entry.state() == MessageState.REJECTED;
      String reason =
          (duplicate
                  ? "duplicate acknowledgement"
                  : "acknowledgement for a message in state " + entry.state())
              + " ("
              + ack.code()
              + ", ack MessageHeader "
              + ack.messageHeaderId()
              + ") ignored";
      tx.executeWithoutResult(
          s -> {
            journal.note(entry.id(), entry.state(), STAGE, reason, ack.operationOutcome());
            unmatched.record(channel, ack, entry.id(), reason, text);
          });
      return duplicate ? AckOutcome.DUPLICATE : AckOutcome.UNMATCHED;
    }
    return applyTo(entry, ack, text, channel);
  }

  /**
   * An acknowledgement of a translation an administrator's edit replaced (the entry carries a new
   * MessageHeader id now): it must not close the new version, whose content differs, but the
   * recipient answered a message the gateway sent, so the answer goes into that message's history
   * (with its OperationOutcome) instead of only among the unknown ones.
   */
  private Optional<AckOutcome> earlierTranslation(
      Acknowledgement ack, String text, String channel) {
    JournalEntry entry =
        earlier.entryOf(ack.responseIdentifier()).flatMap(journal::find).orElse(null);
    if (entry == null || ack.responseIdentifier().equals(entry.messageHeaderId())) {
      return Optional.empty();
    }
    String reason =
        "acknowledgement ("
            + ack.code()
            + (ack.summary() == null ? "" : ": " + ack.summary())
            + ") from GLN "
            + ack.senderGln()
            + " for an earlier translation of this message (MessageHeader "
            + ack.responseIdentifier()
            + ", replaced by an edit; the entry carries MessageHeader "
            + entry.messageHeaderId()
            + " now): not applied";
    tx.executeWithoutResult(
        s -> {
          journal.note(entry.id(), entry.state(), STAGE, reason, ack.operationOutcome());
          unmatched.record(channel, ack, entry.id(), reason, text);
        });
    return Optional.of(AckOutcome.UNMATCHED);
  }

  private AckOutcome applyTo(JournalEntry entry, Acknowledgement ack, String text, String channel) {
    String from =
        " (ack MessageHeader " + ack.messageHeaderId() + ", Bundle " + ack.bundleId() + ")";
    String codes = ack.summary() == null ? "" : ": " + ack.summary();
    String early =
        entry.state() == MessageState.VALIDATED
            ? "; it came before the delivery attempt under way had recorded the send"
            : "";
    Boolean moved =
        switch (ack.code()) {
          case Acknowledgement.OK ->
              tx.execute(
                  s ->
                      finish(
                          entry,
                          MessageState.ACKNOWLEDGED,
                          "acknowledged ok by the recipient" + from + early,
                          ack));
          case Acknowledgement.FATAL_ERROR ->
              tx.execute(
                  s ->
                      finish(
                          entry,
                          MessageState.REJECTED,
                          "rejected by the recipient with fatal-error" + codes + from + early,
                          ack));
          default ->
              tx.execute(
                  s -> {
                    // Before the send is recorded, the SENT commit sets the acknowledgement
                    // deadline, which would replace a resend scheduled here: the deadline resends.
                    journal.note(
                        entry.id(),
                        entry.state(),
                        STAGE,
                        "recipient answered transient-error"
                            + codes
                            + from
                            + (early.isEmpty()
                                ? "; resend scheduled"
                                : early + "; resent at the acknowledgement deadline"),
                        ack.operationOutcome());
                    if (early.isEmpty()) {
                      bookkeeping.resendLater(entry.id(), entry.recipientGln());
                    }
                    return true;
                  });
        };
    if (!Boolean.TRUE.equals(moved)) {
      return movedMeanwhile(entry.id(), ack, text, channel);
    }
    log.info("acknowledgement applied id={} code={}", entry.id(), ack.code());
    return AckOutcome.APPLIED;
  }

  /** The move, and the schedule forgotten only when this acknowledgement made it. */
  private boolean finish(JournalEntry entry, MessageState to, String reason, Acknowledgement ack) {
    boolean moved =
        journal.transition(entry.id(), AWAITING, to, STAGE, reason, ack.operationOutcome());
    if (moved) {
      bookkeeping.forget(entry.id());
    }
    return moved;
  }

  /**
   * The entry left the awaiting states between the read and the move (another acknowledgement on
   * another channel or node, an administrator): this one changed nothing, and says so in the
   * history and among the unmatched acknowledgements instead of being counted as applied.
   */
  private AckOutcome movedMeanwhile(
      String entryId, Acknowledgement ack, String text, String channel) {
    MessageState now = journal.find(entryId).map(JournalEntry::state).orElse(null);
    boolean duplicate = now == MessageState.ACKNOWLEDGED || now == MessageState.REJECTED;
    String reason =
        (duplicate ? "duplicate acknowledgement" : "acknowledgement")
            + " ("
            + ack.code()
            + ", ack MessageHeader "
            + ack.messageHeaderId()
            + ") ignored: the message moved on to "
            + now
            + " meanwhile";
    tx.executeWithoutResult(
        s -> {
          if (now != null) {
            journal.note(entryId, now, STAGE, reason, ack.operationOutcome());
          }
          unmatched.record(channel, ack, entryId, reason, text);
        });
    log.warn("acknowledgement ignored, entry moved on meanwhile id={} state={}", entryId, now);
    return duplicate ? AckOutcome.DUPLICATE : AckOutcome.UNMATCHED;
  }

  /**
   * A UTF-8 byte order mark (Windows tools write one) is not content: left in, an XML payload does
   * not start with "<" and was read as JSON, so it was unreadable.
   */
  static String withoutByteOrderMark(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private AckOutcome counted(AckOutcome outcome, String channel) {
    meters
        .counter("gateway.acknowledgements", "outcome", outcome.name(), "channel", channel)
        .increment();
    return outcome;
  }
}
