package dk.sektorbro.gateway.inbound;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dk.sektorbro.gateway.delivery.Transports;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.platform.ExecutionFence;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The {@code hospital-ack} kind of work: the acknowledgement the gateway sends to a hospital's
 * postbox for a message that came in through the folder. Each is one execution of the engine (due
 * at once, so normally sent within the same second by the node that received the message); a failed
 * send is tried again with {@code gateway.delivery.retry}'s exponential back-off, at most {@link
 * #MAX_ATTEMPTS} times, on whichever node claims it. The bytes and the file name are fixed when the
 * work is scheduled, so a repeat (a node that died mid-send) writes identical bytes under the same
 * name. The hospital's own resend (reliable messaging) still gets the stored answer again.
 *
 * <p>A run checks its fencing token ({@link ExecutionFence}) just before the write: a node that
 * stalled after its engine picked the execution (a long GC pause, a suspended VM) while another
 * node's engine revived and ran it writes nothing when it resumes (docs/cluster.md).
 */
@Configuration
public class HospitalAcks {

  public static final String TASK = "hospital-ack";
  static final int MAX_ATTEMPTS = 8;

  private static final Logger log = LoggerFactory.getLogger(HospitalAcks.class);

  /**
   * What to send and how it went so far. {@code messageHeaderId}: of the hospital's message
   * (logged, never the content); {@code fileId}: the name the acknowledgement is written under.
   */
  public record AckWork(
      String senderGln,
      String messageHeaderId,
      String fileId,
      String ackMessage,
      boolean xml,
      int attempts,
      String lastError) {

    AckWork failed(String error) {
      return new AckWork(senderGln, messageHeaderId, fileId, ackMessage, xml, attempts + 1, error);
    }
  }

  private final Transports transports;
  private final DeliveryProperties delivery;
  private final ObjectProvider<SchedulerClient> engine;
  private final Clock clock;
  private final MeterRegistry meters;
  private final JdbcClient jdbc;

  public HospitalAcks(
      Transports transports,
      DeliveryProperties delivery,
      ObjectProvider<SchedulerClient> engine,
      Clock clock,
      MeterRegistry meters,
      JdbcClient jdbc) {
    this.jdbc = jdbc;
    this.transports = transports;
    this.delivery = delivery;
    this.engine = engine;
    this.clock = clock;
    this.meters = meters;
  }

  @Bean
  CustomTask<AckWork> hospitalAckTask() {
    return Tasks.custom(TASK, AckWork.class)
        // An unexpected exception (e.g. the database briefly gone): try the same step again later.
        .onFailure(
            new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10), 2.0))
        .execute(
            (instance, context) ->
                run(instance.getData(), ExecutionFence.token(context.getExecution())));
  }

  /**
   * Schedules the acknowledgement for the sender's postbox, due now. Returns the execution's id.
   */
  public String send(String senderGln, String messageHeaderId, String ackMessage, boolean xml) {
    String fileId = UUID.randomUUID().toString();
    engine
        .getObject()
        .schedule(
            new TaskInstance<>(
                TASK,
                fileId,
                new AckWork(senderGln, messageHeaderId, fileId, ackMessage, xml, 0, null)),
            clock.instant());
    return fileId;
  }

  /** {@code token}: this run's fencing token ({@link ExecutionFence#token}). */
  private CompletionHandler<AckWork> run(AckWork work, long token) {
    // The last look before the write (the database gone: the engine's failure handler tries later).
    if (!ExecutionFence.held(jdbc, TASK, work.fileId(), token)) {
      // The engine revived the execution on another node while this one was stalled: that node
      // sends (or sent) it, and this run's completion would fail on the moved version.
      log.warn(
          "inbound acknowledgement abandoned messageHeaderId={}: taken over by another node",
          work.messageHeaderId());
      meters.counter("gateway.inbound.acknowledgements.abandoned").increment();
      return (complete, operations) -> {};
    }
    DeliveryProperties.RecipientRoute route = delivery.routeFor(work.senderGln());
    try {
      transports
          .of(route.transport())
          .send(
              new OutboundMessage(
                  null,
                  work.senderGln(),
                  work.fileId(),
                  work.ackMessage().getBytes(StandardCharsets.UTF_8),
                  work.xml() ? "application/fhir+xml" : "application/fhir+json",
                  work.xml() ? "xml" : "json"),
              route);
      meters.counter("gateway.inbound.acknowledgements.sent").increment();
      if (work.attempts() > 0) {
        log.info(
            "inbound acknowledgement delivered messageHeaderId={} after attempts={}",
            work.messageHeaderId(),
            work.attempts() + 1);
      }
      return new CompletionHandler.OnCompleteRemove<>();
    } catch (IOException | RuntimeException e) {
      AckWork failed = work.failed(e.getClass().getSimpleName());
      meters.counter("gateway.inbound.acknowledgements.retried").increment();
      if (failed.attempts() >= MAX_ATTEMPTS) {
        // The hospital resends a message it has no acknowledgement for; the stored answer goes out
        // then.
        log.error(
            "inbound acknowledgement given up messageHeaderId={} attempts={} cause={}",
            work.messageHeaderId(),
            failed.attempts(),
            failed.lastError());
        meters.counter("gateway.inbound.acknowledgements.failed").increment();
        return new CompletionHandler.OnCompleteRemove<>();
      }
      Instant next = clock.instant().plus(delay(failed.attempts()));
      log.warn(
          "inbound acknowledgement not delivered messageHeaderId={} attempt={} cause={} next={}",
          work.messageHeaderId(),
          failed.attempts(),
          failed.lastError(),
          next);
      return (complete, operations) -> operations.reschedule(complete, next, failed);
    }
  }

  /**
   * The wait after failed attempt {@code n} (1, 2, ...): Spring's exponential back-off with the
   * delivery settings.
   */
  Duration delay(int n) {
    DeliveryProperties.Retry retry = delivery.retry();
    ExponentialBackOff backOff =
        new ExponentialBackOff(retry.initialDelay().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxDelay().toMillis());
    BackOffExecution execution = backOff.start();
    long wait = execution.nextBackOff();
    for (int i = 1; i < n; i++) {
      wait = execution.nextBackOff();
    }
    return Duration.ofMillis(wait);
  }
}
