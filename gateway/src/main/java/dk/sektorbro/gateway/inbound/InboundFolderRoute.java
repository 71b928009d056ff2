package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.nio.file.Path;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Acknowledgements (and, later, messages) that VANS clients drop into {@code <data-dir>/inbound/}.
 * Each file is read once and deleted; what it did is in the journal or unmatched_acknowledgement.
 * Writers use a temporary name (.tmp/.part) and rename, as for the intake inbox.
 */
@Component
public class InboundFolderRoute extends RouteBuilder {

  public static final String ROUTE_ID = RouteIds.INBOUND_FOLDER;

  private final AcknowledgementService acknowledgements;
  private final Path inbound;
  private final long delayMillis;

  public InboundFolderRoute(
      AcknowledgementService acknowledgements,
      GatewayProperties gateway,
      DeliveryProperties delivery) {
    this.acknowledgements = acknowledgements;
    this.inbound = inboundDir(gateway);
    this.delayMillis = delivery.inboundPoll().toMillis();
  }

  public static Path inboundDir(GatewayProperties gateway) {
    return gateway.dataDir().resolve("inbound").toAbsolutePath();
  }

  @Override
  public void configure() {
    // @formatter:off
    from("file:"
            + inbound
            + "?delete=true&autoCreate=true&readLock=none&exclude=RAW(.*\\.(tmp|part|partial)$)"
            + "&sortBy=file:modified&delay="
            + delayMillis)
        .routeId(ROUTE_ID)
        .convertBodyTo(byte[].class)
        .bean(acknowledgements, "receive(${body}, 'FILE')")
        .id("receive-acknowledgement");
    // @formatter:on
  }
}
