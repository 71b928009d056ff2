package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.addressing.RegistrySnapshot;
import dk.sektorbro.gateway.addressing.RegistryUnit;
import java.util.Optional;

/**
 * A received message's receiver, SOR code and location number, must name one unit: the SOR code's
 * postbox in the registry (its own EAN or the one it inherits) is the EAN the message names. A
 * message whose EAN is ours but whose SOR code is another organisation's unit (or the reverse) was
 * meant for someone else, or for no one: it is refused rather than handed over to our system on the
 * strength of one of the two (MedCom's addressing rule R7, on the receiving side). A SOR code the
 * registry does not know is not a contradiction: it is taken on the EAN.
 */
final class ReceiverCheck {

  private ReceiverCheck() {}

  /** Why the receiver's SOR code and EAN contradict each other in the registry, if they do. */
  static Optional<String> contradiction(
      String receiverSor, String receiverGln, RegistrySnapshot snapshot) {
    if (receiverSor == null || receiverGln == null || snapshot == null) {
      return Optional.empty();
    }
    Optional<RegistryUnit> unit = snapshot.unit(receiverSor);
    if (unit.isEmpty()
        || unit.get().effectiveGln() == null
        || unit.get().effectiveGln().equals(receiverGln)) {
      return Optional.empty();
    }
    return Optional.of(
        "receiver SOR "
            + receiverSor
            + " and EAN "
            + receiverGln
            + " are not one unit: in registry snapshot "
            + snapshot.info().id()
            + " the postbox of SOR "
            + receiverSor
            + " is EAN "
            + unit.get().effectiveGln());
  }
}
