package dk.sektorbro.gateway.delivery.transport;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * The postbox folder per GLN that VANS clients pick up; written atomically by {@link
 * PostboxWriter}.
 */
@Component
public class PostboxTransport implements Transport {

  private final PostboxWriter postbox;

  public PostboxTransport(PostboxWriter postbox) {
    this.postbox = postbox;
  }

  @Override
  public TransportKind kind() {
    return TransportKind.POSTBOX;
  }

  @Override
  public TransportResult send(OutboundMessage message, RecipientRoute route) throws IOException {
    return TransportResult.written(
        postbox
            .write(
                message.recipientGln(),
                message.messageHeaderId(),
                message.fileExtension(),
                message.payload())
            .toString());
  }
}
