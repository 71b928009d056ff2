package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.transport.TransportResult;
import dk.sektorbro.gateway.gate.DeliveryGuard;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.gate.GateOrder;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.JournalMdc;
import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.platform.PipelineStage;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.platform.StageTimers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Last stage: after the delivery guards' final say, the message goes to its recipient's transport.
 * Success makes it SENT and starts the acknowledgement deadline; a transient failure makes it
 * RETRYING in the delivery schedule; a permanent one FAILED. The same attempt serves the first
 * send, retries and resends, so the guards recheck before every one of them. The bytes are fixed
 * and stored before the first attempt ({@link FixedOutboundMessages}), so a retry or a re-delivery
 * after a crash sends an identical copy.
 */
@Component
public class DeliveryStage implements PipelineStage {

  private static final Logger log = LoggerFactory.getLogger(DeliveryStage.class);
  static final String STAGE = RouteIds.DELIVER;
  private static final List<MessageState> SENDABLE =
      List.of(MessageState.VALIDATED, MessageState.RETRYING, MessageState.SENT);

  private final Journal journal;
  private final List<DeliveryGuard> guards;
  private final DeliveryProperties properties;
  private final OutboundPreparation preparation;
  private final FixedOutboundMessages fixedMessages;
  private final Transports transports;
  private final DeliveryBookkeeping bookkeeping;
  private final List<TransportResponses> responses;
  private final MeterRegistry meters;
  private final Timer timer;
  private final TransactionTemplate tx;
  private final DeliverySchedule schedule;
  private final String node;

  public DeliveryStage(
      Journal journal,
      List<DeliveryGuard> guards,
      DeliveryProperties properties,
      OutboundPreparation preparation,
      FixedOutboundMessages fixedMessages,
      Transports transports,
      DeliveryBookkeeping bookkeeping,
      List<TransportResponses> responses,
      MeterRegistry meters,
      TransactionTemplate tx,
      DeliverySchedule schedule,
      NodeIdentity node) {
    this.tx = tx;
    this.schedule = schedule;
    this.node = node.name();
    this.journal = journal;
    this.guards = GateOrder.guards(guards);
    this.properties = properties;
    this.preparation = preparation;
    this.fixedMessages = fixedMessages;
    this.transports = transports;
    this.bookkeeping = bookkeeping;
    this.responses = responses;
    this.meters = meters;
    this.timer = StageTimers.timer(meters, STAGE, "Time to hand one message to its transport");
  }

  @Override
  public String stage() {
    return STAGE;
  }

  /** The last stage: nothing follows it in the pipeline (the delivery schedule takes over). */
  @Override
  public boolean process(String journalId) {
    deliver(journalId);
    return false;
  }

  /** From the pipeline's deliver queue: first send of a VALIDATED message. */
  public void deliver(String journalId) {
    try (MDC.MDCCloseable ignored = JournalMdc.put(journalId)) {
      JournalEntry entry = journal.forStage(journalId).orElse(null);
      if (entry != null && entry.state() == MessageState.VALIDATED) {
        attempt(entry);
      }
    }
  }

  /** One send attempt of a VALIDATED, RETRYING or (resent) SENT entry. */
  public void attempt(JournalEntry entry) {
    if (!SENDABLE.contains(entry.state())) {
      bookkeeping.forget(entry.id());
      return;
    }
    RecipientRoute route = properties.routeFor(entry.recipientGln());
    // The guards' notes and decisions and the fixed bytes (FixedOutboundMessages) in one
    // transaction, whose commit waits for the disk: the message leaves only after both are
    // durable, with one commit instead of two.
    // The fixing statement also checks that this node still holds the step (Holder): a node that
    // was stalled while another took the step over sends nothing.
    FixedOutboundMessages.Holder holder = schedule.holder(entry, node);
    Fixed fixed;
    try {
      fixed = tx.execute(status -> guardedAndFixed(entry, route, holder));
    } catch (FixedOutboundMessages.TakenOver e) {
      abandoned(entry);
      return;
    }
    if (fixed.stopped() == Stop.MOVED) {
      bookkeeping.forget(entry.id());
    }
    if (fixed.stopped() != Stop.NONE) {
      return;
    }
    Timer.Sample sample = Timer.start();
    TransportResult result;
    try {
      if (fixed.failure() != null) {
        throw fixed.failure();
      }
      result = transports.of(route.transport()).send(fixed.attempted().message(), route);
    } catch (IOException e) {
      count(route, "transient");
      bookkeeping.failedTransiently(entry, describe(e));
      return;
    } catch (PermanentFailure e) {
      count(route, "permanent");
      bookkeeping.failedPermanently(entry, e.getMessage());
      return;
    }
    sample.stop(timer);
    count(route, "sent");
    bookkeeping.sent(entry, route, result.location(), fixed.attempted().scheduled());
    if (result.responseBody() != null && !result.responseBody().isBlank()) {
      responses.forEach(r -> r.responded(entry.id(), result.responseBody()));
    }
  }

  /**
   * Stopped by a guard, or the bytes to send (with the delivery work read beside them), or why they
   * cannot be made.
   */
  private record Fixed(
      Stop stopped, FixedOutboundMessages.Attempted attempted, PermanentFailure failure) {}

  /**
   * Whether a guard stopped the attempt: no; yes, and the entry moved (held or failed); yes, but
   * the entry had moved on meanwhile (see {@link #guardsAllow}), so whoever moved it keeps its
   * schedule.
   */
  private enum Stop {
    NONE,
    MOVED,
    NOT_MOVED
  }

  /**
   * This node was stalled (a long pause: its heartbeat or the engine's stopped) and another node
   * took the step over meanwhile: it sends nothing, and leaves the entry's work to that node. The
   * history says so, which tells an operator of the stall.
   */
  private void abandoned(JournalEntry entry) {
    schedule.takenOver(entry.id());
    log.warn("delivery attempt abandoned id={}: taken over by another node", entry.id());
    journal.noteInCurrentState(
        entry.id(),
        STAGE,
        "a delivery attempt of "
            + node
            + " sent nothing: another node had taken the step over while this node was silent"
            + " (a long pause), or the entry had moved on meanwhile; whoever holds it now"
            + " delivers it",
        null);
  }

  private Fixed guardedAndFixed(
      JournalEntry entry, RecipientRoute route, FixedOutboundMessages.Holder holder) {
    List<Journal.Note> passed = new ArrayList<>();
    Stop stop = guardsAllow(entry, passed);
    if (stop != Stop.NONE) {
      return new Fixed(stop, null, null);
    }
    try {
      // The guards' PASS notes are written by the statement that fixes the bytes (one statement
      // fewer), in this transaction: durable before the message leaves, as before.
      return new Fixed(
          Stop.NONE,
          fixedMessages.attempt(
              entry, route, text -> preparation.prepare(entry, route, text), passed, holder),
          null);
    } catch (PermanentFailure e) {
      // The guards' notes are kept (committed); the failure is journaled as before.
      return new Fixed(Stop.NONE, null, e);
    }
  }

  /**
   * NONE when every guard passes; their PASS notes go to {@code passed}, in the guards' order. A
   * guard's hold or failure moves the entry only while it is still in the state and carries the
   * Bundle the attempt read: an attempt under way while an admin's edit replaced the message (e.g.
   * a new recipient, translated anew) judged the message it read, not the new one, whose own
   * delivery (and retry) goes on; the history says so.
   */
  private Stop guardsAllow(JournalEntry entry, List<Journal.Note> passed) {
    for (DeliveryGuard guard : guards) {
      GateDecision decision = guard.recheck(entry);
      if (decision.kind() == GateDecision.Kind.PASS) {
        Journal.Note note = guard.passNote(entry, decision);
        if (note != null) {
          passed.add(note);
        }
        continue;
      }
      MessageState to =
          decision.kind() == GateDecision.Kind.HOLD ? decision.holdState() : MessageState.FAILED;
      // The passes before this stop stay in the history, before it.
      journal.notes(entry.id(), passed);
      if (journal.transitionCarrying(
          entry.id(),
          entry.bundleId(),
          List.of(entry.state()),
          to,
          guard.name(),
          decision.reason(),
          decision.detail())) {
        return Stop.MOVED;
      }
      journal.noteInCurrentState(
          entry.id(),
          guard.name(),
          DeliveryBookkeeping.staleAttempt(entry, "was stopped (" + to + "): " + decision.reason()),
          decision.detail());
      return Stop.NOT_MOVED;
    }
    return Stop.NONE;
  }

  private void count(RecipientRoute route, String outcome) {
    meters
        .counter(
            "gateway.delivery.attempts", "transport", route.transport().name(), "outcome", outcome)
        .increment();
  }

  private static String describe(IOException e) {
    log.warn(
        "transport failed id={} cause={}", MDC.get(JournalMdc.KEY), e.getClass().getSimpleName());
    return TransportErrors.describe(e);
  }
}
