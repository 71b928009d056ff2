package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.DatabaseReachability;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/**
 * What the administrator on call sees of kept received messages without opening the console: how
 * many wait for a consent ({@code gateway.inbound.kept}) and how many have waited longer than
 * {@code gateway.handover.kept.overdue-after} ({@code gateway.inbound.kept.overdue}, the one to
 * alert on: the hospital was answered ok long ago and the municipal system still has nothing).
 */
@Component
public class KeptMessagesMetrics {

  public KeptMessagesMetrics(
      InboundRepository repository,
      KeptMessagesProperties properties,
      Clock clock,
      MeterRegistry meters,
      DatabaseReachability reachability) {
    Duration overdueAfter = properties.overdueAfter();
    Gauge.builder(
            "gateway.inbound.kept",
            repository,
            r -> reachability.orNaN(() -> r.keptCount(OffsetDateTime.now(clock)).kept()))
        .description("Received messages kept from their municipal system, waiting for a consent")
        .register(meters);
    Gauge.builder(
            "gateway.inbound.kept.overdue",
            repository,
            r ->
                reachability.orNaN(
                    () -> r.keptCount(OffsetDateTime.now(clock).minus(overdueAfter)).overdue()))
        .description(
            "Kept received messages waiting longer than gateway.handover.kept.overdue-after")
        .register(meters);
  }
}
