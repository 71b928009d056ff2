package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Runs the sweep of consent holds (expiry, re-evaluation) at {@code gateway.consent.expiry-sweep-interval}. */
@Component
public class HoldSweepRoute extends RouteBuilder {

  public static final String ROUTE_ID = "consent-hold-sweep";

  private final HeldMessages held;
  private final long periodMillis;

  public HoldSweepRoute(HeldMessages held, ConsentProperties properties) {
    this.held = held;
    this.periodMillis = properties.expirySweepInterval().toMillis();
  }

  @Override
  public void configure() {
    from("timer:" + ROUTE_ID + "?delay=" + periodMillis + "&period=" + periodMillis)
        .routeId(ROUTE_ID)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(held, "sweep").id("sweep-holds");
  }
}
