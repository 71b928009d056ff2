package dk.sektorbro.gateway.retention;

import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Wiring only: a timer asks the retention service for one small pass every
 * {@code gateway.retention.interval}; the service itself keeps to the off-peak window. A failed
 * pass is logged by the error handler and simply tried again at the next tick.
 */
@Component
public class RetentionRoute extends RouteBuilder {

  public static final String ROUTE_ID = "retention";

  private final RetentionService retention;
  private final RetentionProperties properties;

  public RetentionRoute(RetentionService retention, RetentionProperties properties) {
    this.retention = retention;
    this.properties = properties;
  }

  @Override
  public void configure() {
    from("timer:retention?delay=60000&period=" + properties.interval().toMillis())
        .routeId(ROUTE_ID)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .process(exchange -> retention.tick());
  }
}
