package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Drives the delivery schedule: retries and acknowledgement deadlines, from the database. */
@Component
public class DeliveryScheduleRoute extends RouteBuilder {

  public static final String ROUTE_ID = "delivery-schedule";

  private final DeliveryScheduler scheduler;
  private final long periodMillis;

  public DeliveryScheduleRoute(DeliveryScheduler scheduler, DeliveryProperties properties) {
    this.scheduler = scheduler;
    this.periodMillis = properties.schedulePoll().toMillis();
  }

  @Override
  public void configure() {
    // @formatter:off
    from("timer:" + ROUTE_ID + "?delay=1000&period=" + periodMillis)
        .routeId(ROUTE_ID)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(scheduler, "runDue").id("run-due");
    // @formatter:on
  }
}
