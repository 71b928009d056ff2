package dk.sektorbro.gateway.delivery.transport;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import java.io.IOException;

/**
 * A way to hand a message to a recipient. An {@link IOException} is transient (retried with
 * back-off); a {@link dk.sektorbro.gateway.platform.PermanentFailure} is not.
 */
public interface Transport {

  TransportKind kind();

  TransportResult send(OutboundMessage message, RecipientRoute route) throws IOException;
}
