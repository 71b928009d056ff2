package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.delivery.ReleasePoint;
import dk.sektorbro.gateway.gate.StageDispatch;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.PendingEntry;
import dk.sektorbro.gateway.platform.JournalMdc;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Messages in HELD_CONSENT: looked at again whenever the citizen's consents change (a covering
 * consent releases them into the pipeline, a refusal ends them), and periodically, where holds
 * older than {@code gateway.consent.hold-expiry} become EXPIRED and were never delivered.
 */
@Component
public class HeldMessages {

  private static final Logger log = LoggerFactory.getLogger(HeldMessages.class);
  private static final int SWEEP_BATCH = 1000;

  private final Journal journal;
  private final ConsentEvaluator evaluator;
  private final StageDispatch dispatcher;
  private final ObjectMapper json;
  private final Clock clock;
  private final Duration holdExpiry;
  private final ReleasePoint releasePoint;

  public HeldMessages(
      Journal journal,
      ConsentEvaluator evaluator,
      StageDispatch dispatcher,
      ObjectMapper json,
      Clock clock,
      ConsentProperties properties,
      ReleasePoint releasePoint) {
    this.releasePoint = releasePoint;
    this.journal = journal;
    this.evaluator = evaluator;
    this.dispatcher = dispatcher;
    this.json = json;
    this.clock = clock;
    this.holdExpiry = properties.holdExpiry();
  }

  @EventListener
  public void onConsentChanged(ConsentChanged change) {
    List<String> held = journal.entriesOfCitizen(change.citizenCpr(), MessageState.HELD_CONSENT);
    for (String id : held) {
      try {
        reevaluate(id);
      } catch (RuntimeException e) {
        // One unreadable entry must not block the others or fail the consent change; the sweep
        // retries.
        log.warn("consent re-evaluation failed id={} cause={}", id, e.getClass().getSimpleName());
      }
    }
  }

  /**
   * Expires old holds, then re-evaluates the rest: a safety net for a consent recorded while its
   * message was between the gate's decision and the hold, which the change event cannot see.
   */
  public int sweep() {
    OffsetDateTime now = OffsetDateTime.now(clock);
    int expired = 0;
    for (PendingEntry old :
        journal.inStateSince(MessageState.HELD_CONSENT, now.minus(holdExpiry), SWEEP_BATCH)) {
      if (journal.transition(
          old.id(),
          List.of(MessageState.HELD_CONSENT),
          MessageState.EXPIRED,
          ConsentGate.NAME,
          "hold expired: no legal basis to disclose within "
              + holdExpiry
              + "; "
              + notDelivered(old.id()),
          null)) {
        expired++;
      }
    }
    journal
        .inStateSince(MessageState.HELD_CONSENT, now, SWEEP_BATCH)
        .forEach(p -> reevaluate(p.id()));
    if (expired > 0) {
      log.info("consent holds expired count={}", expired);
    }
    return expired;
  }

  /**
   * A stopped resend ends with what really happened: the earlier delivery stands, this one did not
   * go.
   */
  private String notDelivered(String id) {
    boolean deliveredBefore =
        journal.history(id).stream().anyMatch(e -> e.state() == MessageState.SENT);
    return deliveredBefore
        ? "this resend was not delivered (the earlier delivery stands, nothing is recalled)"
        : "never delivered";
  }

  private void reevaluate(String id) {
    try (MDC.MDCCloseable ignored = JournalMdc.put(id)) {
      JournalEntry entry = journal.find(id).orElse(null);
      if (entry == null || entry.state() != MessageState.HELD_CONSENT) {
        return;
      }
      ConsentEvaluator.Evaluation evaluation =
          evaluator.evaluate(entry, read(entry.canonicalRecord()));
      String reason = evaluator.reason(evaluation);
      switch (evaluation.decision().outcome()) {
        case PERMIT -> {
          if (releasePoint.afterConsentHold(entry) == MessageState.VALIDATED) {
            // Stopped by the recheck before delivery (a first delivery or a resend): the same
            // MedCom
            // message goes out, with its MessageHeader id, so the recipient's de-duplication still
            // works.
            // The delivery guards decide again (consent and address) immediately before the write.
            if (journal.transition(
                id,
                List.of(MessageState.HELD_CONSENT),
                MessageState.VALIDATED,
                ConsentGate.NAME,
                "released: "
                    + reason
                    + "; the same message (MessageHeader "
                    + entry.messageHeaderId()
                    + ") goes to delivery",
                evaluator.detail(evaluation))) {
              dispatcher.resume(id, MessageState.VALIDATED);
            }
          } else if (journal.transition(
              id,
              List.of(MessageState.HELD_CONSENT),
              MessageState.RECEIVED,
              ConsentGate.NAME,
              "released: " + reason,
              evaluator.detail(evaluation))) {
            // Held at the gate: back to the start, the gates decide again and the record is
            // translated.
            dispatcher.resume(id, MessageState.RECEIVED);
          }
        }
        case DENY ->
            journal.transition(
                id,
                List.of(MessageState.HELD_CONSENT),
                MessageState.FAILED,
                ConsentGate.NAME,
                reason,
                evaluator.detail(evaluation));
        case HOLD -> {} // still no basis: stays held, nothing new to journal
      }
    }
  }

  private CanonicalRecord read(String canonicalJson) {
    try {
      return json.readValue(canonicalJson, CanonicalRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("journaled canonical record cannot be read", e);
    }
  }
}
