package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.careplan.DocumentDeliveryRepository.State;
import dk.sektorbro.gateway.platform.DatabaseBackedHealth;
import dk.sektorbro.gateway.platform.DatabaseReachability;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Care-plan documents to FHIR endpoints in /actuator/health ("documentDelivery") and metrics: how
 * many wait for a (re)try and how many failed permanently. Counts only (health is public); the
 * failed ones are listed at GET /api/v1/documents/deliveries?state=FAILED. Always UP, like
 * delivery: the gateway still accepts and queues work.
 */
@Component("documentDelivery")
public class DocumentDeliveryHealth implements HealthIndicator, DatabaseBackedHealth {

  private final DocumentDeliveryRepository deliveries;

  public DocumentDeliveryHealth(
      DocumentDeliveryRepository deliveries,
      MeterRegistry meters,
      DatabaseReachability reachability) {
    this.deliveries = deliveries;
    Gauge.builder(
            "gateway.documents.pending",
            deliveries,
            d -> reachability.orNaN(() -> d.count(State.PENDING)))
        .description("Care-plan documents waiting to be POSTed to a FHIR document endpoint")
        .register(meters);
    Gauge.builder(
            "gateway.documents.failed",
            deliveries,
            d -> reachability.orNaN(() -> d.count(State.FAILED)))
        .description("Care-plan documents a FHIR document endpoint refused (permanent failures)")
        .register(meters);
  }

  @Override
  public Health health() {
    return Health.up()
        .withDetail("pending", deliveries.count(State.PENDING))
        .withDetail("failed", deliveries.count(State.FAILED))
        .withDetail("cancelled", deliveries.count(State.CANCELLED))
        .build();
  }
}
