package dk.sektorbro.gateway.journal;

import dk.sektorbro.gateway.platform.DatabaseBackedHealth;
import dk.sektorbro.gateway.platform.DatabaseReachability;
import dk.sektorbro.gateway.platform.GatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The journal in /actuator/health ("journal"): DOWN (HTTP 503) when a real write and read of the
 * journal database fails or takes over five seconds, or when more messages are QUARANTINED than
 * {@code gateway.pipeline.quarantine-down-above}: the gateway cannot keep its promise then, and a
 * supervisor or load balancer must know.
 */
@Component("journalHealthIndicator")
public class JournalHealth extends AbstractHealthIndicator implements DatabaseBackedHealth {

  private static final int TIMEOUT_SECONDS = 5;

  private final JournalRepository repository;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final int quarantineDownAbove;

  public JournalHealth(
      JournalRepository repository,
      PlatformTransactionManager transactions,
      Clock clock,
      GatewayProperties properties,
      MeterRegistry meters,
      DatabaseReachability reachability) {
    super("journal health check failed");
    this.repository = repository;
    this.tx = new TransactionTemplate(transactions);
    this.tx.setTimeout(TIMEOUT_SECONDS);
    this.clock = clock;
    this.quarantineDownAbove = properties.pipeline().quarantineDownAbove();
    Gauge.builder(
            "gateway.messages.quarantined", this, h -> reachability.orNaN(h::quarantinedOrNaN))
        .description("Messages set aside as QUARANTINED (poison): an operator must look at them")
        .register(meters);
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    String token = UUID.randomUUID().toString();
    Boolean ok = tx.execute(status -> repository.probe(token, OffsetDateTime.now(clock)));
    if (!Boolean.TRUE.equals(ok)) {
      builder.down().withDetail("journal", "the probe row could not be written and read back");
      return;
    }
    long quarantined = repository.countInState(MessageState.QUARANTINED);
    builder
        .withDetail("journal", "writable and readable")
        .withDetail("quarantined", quarantined)
        .withDetail("quarantineDownAbove", quarantineDownAbove);
    if (quarantined > quarantineDownAbove) {
      builder
          .down()
          .withDetail(
              "reason",
              quarantined
                  + " messages QUARANTINED, more than "
                  + quarantineDownAbove
                  + ": see /api/v1/messages?state=QUARANTINED");
    } else {
      builder.up();
    }
  }

  private double quarantinedOrNaN() {
    try {
      return repository.countInState(MessageState.QUARANTINED);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
