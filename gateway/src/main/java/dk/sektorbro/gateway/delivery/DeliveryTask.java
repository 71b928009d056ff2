package dk.sektorbro.gateway.delivery;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dk.sektorbro.gateway.delivery.DeliverySchedule.Scheduled;
import dk.sektorbro.gateway.delivery.DeliveryWork.Purpose;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.platform.ExecutionFence;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.platform.JournalMdc;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.MDC;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code message-delivery} kind of work: transport retries, and messages whose acknowledgement
 * did not come in time or came as transient-error (resent with a new Bundle.id, at most {@code
 * gateway.delivery.ack.max-resends} times, then FAILED). The engine claims each execution on one
 * node; a run's outcome (the journal) is committed by the stage, and the next step it noted is
 * applied when the run completes. A node that dies mid-run leaves the execution picked; the engine
 * revives it on another node after the missed heartbeats, which repeats the step with the data the
 * run began with: the message's bytes are fixed, and a resend step that finds its renewal made
 * already sends that Bundle again instead of renewing it twice (the work names the Bundle it
 * awaits), so that is at most an identical re-delivery. A stalled node's run that goes on beside
 * the revived one renews nothing once the other has: a renewal needs the entry to carry the Bundle
 * the run read (Journal#renewedBundle).
 */
@Configuration
public class DeliveryTask {

  private final DeliverySchedule schedule;
  private final Journal journal;
  private final DeliveryStage stage;
  private final DeliveryBookkeeping bookkeeping;
  private final FhirMessageCodec codec;
  private final DeliveryProperties properties;
  private final Clock clock;

  public DeliveryTask(
      DeliverySchedule schedule,
      Journal journal,
      DeliveryStage stage,
      DeliveryBookkeeping bookkeeping,
      FhirMessageCodec codec,
      DeliveryProperties properties,
      Clock clock) {
    this.schedule = schedule;
    this.journal = journal;
    this.stage = stage;
    this.bookkeeping = bookkeeping;
    this.codec = codec;
    this.properties = properties;
    this.clock = clock;
  }

  @Bean
  CustomTask<DeliveryWork> messageDeliveryTask() {
    return Tasks.custom(DeliverySchedule.TASK, DeliveryWork.class)
        // An unexpected exception (e.g. the database briefly gone): try the same step again later.
        .onFailure(
            new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10), 2.0))
        .execute((instance, context) -> run(instance, context.getExecution()));
  }

  private CompletionHandler<DeliveryWork> run(
      TaskInstance<DeliveryWork> instance, Execution execution) {
    String entryId = instance.getId();
    schedule.beginRun(
        new Scheduled(
            entryId, instance.getData(), execution.executionTime.atOffset(ZoneOffset.UTC)),
        ExecutionFence.token(execution));
    Optional<Scheduled> next;
    boolean takenOver;
    try (MDC.MDCCloseable ignored = JournalMdc.put(entryId)) {
      JournalEntry entry = journal.find(entryId).orElse(null);
      if (entry != null) {
        work(instance.getData(), entry);
      }
    } finally {
      takenOver = schedule.runTakenOver(entryId);
      next = schedule.endRun();
    }
    if (takenOver) {
      // The engine revived the execution on another node while this one was stalled: it is that
      // node's now (its version moved on, so the engine's own completion would fail on it).
      return (complete, operations) -> {};
    }
    if (next.isEmpty()) {
      return new CompletionHandler.OnCompleteRemove<>();
    }
    Scheduled then = next.get();
    return (complete, operations) ->
        operations.reschedule(complete, then.dueAt().toInstant(), then.work());
  }

  private void work(DeliveryWork work, JournalEntry entry) {
    switch (entry.state()) {
      case RETRYING -> stage.attempt(entry);
      case SENT -> {
        if (work.purpose() == Purpose.SEND) {
          stage.attempt(entry);
        } else {
          resendOrGiveUp(work, entry);
        }
      }
      // Delivered again by someone else (an administrator's resend): see keepForTheirSend.
      case VALIDATED -> keepForTheirSend(work, entry);
      default -> bookkeeping.forget(entry.id()); // acknowledged, rejected, failed or held meanwhile
    }
  }

  /**
   * Nothing for this run to send: the entry moved on since it was due (acknowledged, resent by an
   * administrator), or another run of this execution renewed it first. Whoever moved it decides
   * what comes next, but while this run holds the execution the work saved meanwhile is refused
   * (DeliverySchedule#save): an administrator's resend that became SENT before this run ends would
   * have no acknowledgement deadline (no timeout, no alert if the recipient never answers). So the
   * execution stays, due one acknowledgement timeout from now, whatever the order; a run that then
   * finds nothing to do removes it.
   */
  private void keepForTheirSend(DeliveryWork work, JournalEntry entry) {
    schedule.save(
        entry.id(),
        work.as(Purpose.ACK_DEADLINE),
        OffsetDateTime.now(clock).plus(properties.ack().timeout()));
  }

  private void resendOrGiveUp(DeliveryWork work, JournalEntry entry) {
    int max = properties.ack().maxResends();
    if (work.resends() >= max) {
      bookkeeping.fail(
          entry.id(),
          List.of(MessageState.SENT),
          work.purpose() == Purpose.RESEND
              ? "no acknowledgement: recipient still answered transient-error after "
                  + max
                  + " resends"
              : "no acknowledgement within "
                  + properties.ack().timeout()
                  + " after "
                  + max
                  + " resends");
      return;
    }
    if (work.renewedSince(entry.bundleId())) {
      // This step ran before and renewed the Bundle, but the engine did not record its outcome
      // (the node died after the step's commits, or it failed after them): the renewed Bundle may
      // have left. It is sent again as it is (its bytes fixed, same Bundle.id), never renewed a
      // second time, so the recipient holds at most identical copies of one resend.
      schedule.save(entry.id(), work.resent(), OffsetDateTime.now(clock));
      stage.attempt(entry);
      return;
    }
    FhirFormat format = FhirFormat.valueOf(entry.fhirFormat());
    String bundleId = UUID.randomUUID().toString();
    Bundle renewed =
        BundleRenewal.renew(
            codec.parse(entry.fhirMessage(), format), bundleId, Date.from(clock.instant()));
    String why =
        work.purpose() == Purpose.RESEND
            ? "after a transient-error acknowledgement"
            : "no acknowledgement within " + properties.ack().timeout();
    boolean renewedNow =
        journal.renewedBundle(
            entry.id(),
            MessageState.SENT,
            entry.bundleId(),
            bundleId,
            codec.encode(renewed, format),
            "resend "
                + (work.resends() + 1)
                + " of "
                + max
                + " ("
                + why
                + "): new Bundle.id, same MessageHeader.id");
    if (!renewedNow) {
      keepForTheirSend(work, entry);
      return;
    }
    schedule.save(entry.id(), work.resent(), OffsetDateTime.now(clock));
    journal.find(entry.id()).ifPresent(stage::attempt);
  }
}
