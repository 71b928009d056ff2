package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.delivery.DeliveryProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Drives care-plan document deliveries to FHIR endpoints from the document_delivery table. */
@Component
public class DocumentDeliveryRoute extends RouteBuilder {

  public static final String ROUTE_ID = "document-delivery";

  private final DocumentDeliveries deliveries;
  private final long periodMillis;

  public DocumentDeliveryRoute(DocumentDeliveries deliveries, DeliveryProperties properties) {
    this.deliveries = deliveries;
    this.periodMillis = properties.schedulePoll().toMillis();
  }

  @Override
  public void configure() {
    // @formatter:off
    from("timer:" + ROUTE_ID + "?delay=1000&period=" + periodMillis)
        .routeId(ROUTE_ID)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(deliveries, "runDue").id("run-due-documents");
    // @formatter:on
  }
}
