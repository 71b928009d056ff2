package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Resumes a previous run's unfinished entries once, shortly after start (the sweep is the
 * cluster's: ClusterTimers).
 */
@Component
public class RecoveryRoute extends RouteBuilder {

  private final RecoveryService recovery;

  public RecoveryRoute(RecoveryService recovery) {
    this.recovery = recovery;
  }

  @Override
  public void configure() {
    // After the first heartbeat, so the other nodes alive are known.
    from("timer:recovery?delay=3000&repeatCount=1")
        .routeId(RouteIds.RECOVERY)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(recovery, "resumePreviousRun")
        .id("resume-previous-run");
  }
}
