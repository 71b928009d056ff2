package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Runs recovery shortly after start and then at the sweep interval. */
@Component
public class RecoveryRoute extends RouteBuilder {

  private final RecoveryService recovery;
  private final long periodMillis;

  public RecoveryRoute(RecoveryService recovery, GatewayProperties properties) {
    this.recovery = recovery;
    this.periodMillis = properties.pipeline().sweepInterval().toMillis();
  }

  @Override
  public void configure() {
    from("timer:recovery?delay=1000&period=" + periodMillis)
        .routeId(RouteIds.RECOVERY)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(recovery, "sweep").id("sweep");
  }
}
