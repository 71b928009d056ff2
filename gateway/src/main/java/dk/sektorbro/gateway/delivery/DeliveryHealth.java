package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.platform.DatabaseBackedHealth;
import dk.sektorbro.gateway.platform.DatabaseReachability;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Delivery in /actuator/health ("delivery") and in metrics: messages queued for retry, messages
 * awaiting acknowledgement, and recipients whose transport failed {@code failing-after} times in a
 * row. Failing recipients do not make the gateway DOWN (it still accepts and queues work); they
 * show as details an operator and an alert can act on.
 */
@Component("delivery")
public class DeliveryHealth implements HealthIndicator, DatabaseBackedHealth {

  private final DeliverySchedule schedule;
  private final int failingAfter;

  public DeliveryHealth(
      DeliverySchedule schedule,
      DeliveryProperties properties,
      MeterRegistry meters,
      DatabaseReachability reachability) {
    this.schedule = schedule;
    this.failingAfter = properties.failingAfter();
    Gauge.builder(
            "gateway.delivery.failing.recipients",
            this,
            h -> reachability.orNaN(() -> h.failingRecipients().size()))
        .description(
            "Recipients whose transport failed gateway.delivery.failing-after times in a row")
        .register(meters);
    Gauge.builder(
            "gateway.delivery.queued",
            schedule,
            s -> reachability.orNaN(() -> s.count(DeliveryWork.Purpose.SEND)))
        .description("Messages waiting for a transport retry")
        .register(meters);
    Gauge.builder(
            "gateway.delivery.awaiting.ack",
            schedule,
            s -> reachability.orNaN(() -> s.count(DeliveryWork.Purpose.ACK_DEADLINE)))
        .description("Messages sent and waiting for their acknowledgement")
        .register(meters);
  }

  @Override
  public Health health() {
    return Health.up()
        .withDetail("queuedForRetry", schedule.count(DeliveryWork.Purpose.SEND))
        .withDetail("awaitingAcknowledgement", schedule.count(DeliveryWork.Purpose.ACK_DEADLINE))
        .withDetail("failingRecipients", failingRecipients())
        .build();
  }

  /**
   * One failing recipient: failed attempts in a row (its worst message), its last error, the next
   * try and how many of its messages are queued.
   */
  public record RecipientFailures(
      int consecutiveFailures, String lastError, String nextAttempt, int queued) {

    RecipientFailures oneMoreQueued() {
      return new RecipientFailures(consecutiveFailures, lastError, nextAttempt, queued + 1);
    }
  }

  /** Per failing GLN, from {@code failingAfter} failed attempts in a row on. */
  public Map<String, RecipientFailures> failingRecipients() {
    return recipientsWithFailures(failingAfter);
  }

  /**
   * As {@link #failingRecipients()}, from the first failed attempt on (the admin dashboard's view).
   */
  public Map<String, RecipientFailures> recipientsWithFailures(int minAttempts) {
    Map<String, RecipientFailures> failing = new LinkedHashMap<>();
    for (DeliverySchedule.Scheduled due : schedule.failing(minAttempts)) {
      DeliveryWork row = due.work();
      // The first (worst) message of a recipient gives its details; the others only count.
      failing.merge(
          row.recipientGln(),
          new RecipientFailures(row.attempts(), row.lastError(), String.valueOf(due.dueAt()), 1),
          (first, next) -> first.oneMoreQueued());
    }
    return failing;
  }
}
