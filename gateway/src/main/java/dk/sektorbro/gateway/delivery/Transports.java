package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import dk.sektorbro.gateway.delivery.transport.Transport;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The transport beans by kind. */
@Component
public class Transports {

  private final Map<TransportKind, Transport> byKind = new EnumMap<>(TransportKind.class);

  public Transports(List<Transport> transports) {
    transports.forEach(t -> byKind.put(t.kind(), t));
  }

  public Transport of(TransportKind kind) {
    Transport transport = byKind.get(kind);
    if (transport == null) {
      throw new IllegalStateException("no transport for " + kind);
    }
    return transport;
  }
}
