package dk.sektorbro.gateway.addressing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.DeliveryGuard;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * R15 and the last word before a message leaves: the postbox folder (journal recipient GLN), the
 * MessageHeader receiver in the message itself, and the active snapshot must all agree, and the
 * snapshot must still say this postbox takes the message. The snapshot may have changed since the
 * gate passed it; then the message is held (or failed) instead of delivered.
 */
@Component
public class AddressingDeliveryGuard implements DeliveryGuard {

  private final RegistryService registry;
  private final AddressResolver resolver;
  private final Clock clock;
  private final ObjectMapper json;

  public AddressingDeliveryGuard(
      RegistryService registry, AddressingProperties properties, Clock clock, ObjectMapper json) {
    this.registry = registry;
    this.resolver = new AddressResolver(properties.policy());
    this.clock = clock;
    this.json = json;
  }

  @Override
  public String name() {
    return AddressingGate.STAGE;
  }

  @Override
  public GateDecision recheck(JournalEntry entry) {
    Optional<RegistrySnapshot> active = registry.active();
    if (active.isEmpty()) {
      return GateDecision.hold(
          MessageState.HELD_ADDRESS,
          "address held at delivery: no registry snapshot is active",
          null);
    }
    Optional<String> envelope = envelopeMismatch(entry);
    if (envelope.isPresent()) {
      return GateDecision.fail("address rejected at delivery (R15): " + envelope.get(), null);
    }
    RegistrySnapshot snapshot = active.get();
    Resolution again = resolve(entry, snapshot);
    if (again.outcome() != Resolution.Outcome.UNCHANGED) {
      // Held or failed by what the snapshot lacks: decided by the cluster's active snapshot, not
      // by one another node's import replaced up to RegistryService.RECHECK ago (one query, on
      // these paths only; see AddressingGate).
      RegistrySnapshot latest = registry.activeNow().orElse(snapshot);
      if (latest != snapshot) {
        snapshot = latest;
        again = resolve(entry, snapshot);
      }
    }
    if (again.outcome() == Resolution.Outcome.UNCHANGED) {
      return GateDecision.pass("address still valid in snapshot " + snapshot.info().id(), null);
    }
    // Why the address that passed the gate stops here: the same explanation as the gate's (rule
    // trail, snapshot, suggestions), or the history could not say which registry entry changed.
    String detail = ResolutionDetail.of(json, again, snapshot, Optional.empty());
    return again.outcome() == Resolution.Outcome.FAILED
        ? GateDecision.fail(again.reason() + " (snapshot changed since the gate)", detail)
        : GateDecision.hold(
            MessageState.HELD_ADDRESS,
            "address held at delivery: the active snapshot no longer confirms it as sent; "
                + again.reason(),
            detail);
  }

  private Resolution resolve(JournalEntry entry, RegistrySnapshot snapshot) {
    return resolver.resolve(
        new Organisation(entry.recipientSor(), entry.recipientGln(), entry.recipientName()),
        MessageTypes.find(MedComCodes.CARE_COMMUNICATION).orElseThrow(),
        snapshot,
        LocalDate.now(clock.withZone(AddressingGate.REGISTER_ZONE)),
        false);
  }

  /**
   * The receiver Organization in the message must carry exactly the journaled SOR and EAN. Read
   * from the message text without a HAPI parse (ReceiverIdentifiers).
   */
  private Optional<String> envelopeMismatch(JournalEntry entry) {
    if (entry.recipientSor() == null || entry.recipientGln() == null) {
      return Optional.of("the journal has no resolved SOR and EAN for the recipient");
    }
    Optional<List<ReceiverIdentifiers.Identifier>> receiver =
        ReceiverIdentifiers.of(entry.fhirMessage(), FhirFormat.valueOf(entry.fhirFormat()));
    if (receiver.isEmpty()) {
      return Optional.of("the MessageHeader names no receiver Organization");
    }
    boolean sor = carries(receiver.get(), MedComProfiles.SOR_SYSTEM, entry.recipientSor());
    boolean gln = carries(receiver.get(), MedComProfiles.GLN_SYSTEM, entry.recipientGln());
    return sor && gln
        ? Optional.empty()
        : Optional.of(
            "the message's receiver SOR/EAN differ from the postbox it would be written to");
  }

  /** True when one of the receiver's identifiers has this system and value. */
  private static boolean carries(
      List<ReceiverIdentifiers.Identifier> identifiers, String system, String value) {
    return identifiers.stream().anyMatch(i -> system.equals(i.system()) && value.equals(i.value()));
  }
}
