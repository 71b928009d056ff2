package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.addressing.RegistryLocation;
import dk.sektorbro.gateway.addressing.RegistrySnapshot;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.medcom.MessageTypes.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MedCom: "both senders and receivers SHALL be registered in SOR with that message type and
 * version", and the acknowledgement goes back to the sender's location number. When the registry
 * knows the sender's EAN and it lists neither the message's type (e.g. FDIS91) nor FCTL
 * (acknowledgements), the reception says so: the message is still received and answered (a stale
 * registry entry must not refuse a valid message), but the journal row and a metric show that the
 * answer goes to a postbox not registered for it. An EAN the registry does not know says nothing.
 */
final class SenderPostbox {

  private SenderPostbox() {}

  /** What the sender's postbox is not registered for, if the registry knows it. */
  static Optional<String> unregistered(
      String senderGln, String eventCode, RegistrySnapshot snapshot) {
    if (senderGln == null || snapshot == null) {
      return Optional.empty();
    }
    List<RegistryLocation> boxes = snapshot.locations(senderGln);
    if (boxes.isEmpty()) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    MessageTypes.find(eventCode)
        .filter(type -> !acceptedByAny(type, boxes))
        .ifPresent(type -> missing.add(type.sorEdiCode()));
    if (!acceptedByAny(MessageTypes.ACKNOWLEDGEMENT, boxes)) {
      missing.add(MessageTypes.ACKNOWLEDGEMENT.sorEdiCode());
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "the sender's postbox EAN "
            + senderGln
            + " is not registered for "
            + String.join(", ", missing)
            + " in registry snapshot "
            + snapshot.info().id()
            + "; answered there all the same");
  }

  private static boolean acceptedByAny(MessageType type, List<RegistryLocation> boxes) {
    return boxes.stream().anyMatch(b -> type.acceptedBy(b.receives(), b.payloadTypes()));
  }
}
