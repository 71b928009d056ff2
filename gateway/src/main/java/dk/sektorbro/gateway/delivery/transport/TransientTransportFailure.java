package dk.sektorbro.gateway.delivery.transport;

import java.io.IOException;

/** The recipient's endpoint answered, but with something worth retrying (HTTP 5xx, 408, 429). */
public class TransientTransportFailure extends IOException {

  public TransientTransportFailure(String reason) {
    super(reason);
  }
}
