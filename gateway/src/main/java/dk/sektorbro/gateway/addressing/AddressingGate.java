package dk.sektorbro.gateway.addressing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.gate.OutboundGate;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.medcom.MessageTypes.MessageType;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The addressing gate (first gate: before consent, which is decided on the resolved recipient, and
 * before translation): resolves the recipient against the active SOR snapshot and passes it
 * unchanged, passes it fixed, holds it for an operator (HELD_ADDRESS) or fails it. Every decision
 * carries its rule trail as journal detail (R16).
 */
@Component
public class AddressingGate implements OutboundGate {

  public static final String STAGE = "addressing";

  /** consent.RecipientKind code of a relative. */
  static final String RELATIVE = "relative";

  /** Danish register dates: a unit closed "yesterday" is closed from midnight in Denmark. */
  static final ZoneId REGISTER_ZONE = ZoneId.of("Europe/Copenhagen");

  private final RegistryService registry;
  private final AddressResolver resolver;
  private final Journal journal;
  private final ObjectMapper json;
  private final Clock clock;
  private final MappingRegistry mappings;

  public AddressingGate(
      RegistryService registry,
      AddressingProperties properties,
      Journal journal,
      ObjectMapper json,
      Clock clock,
      MappingRegistry mappings) {
    this.mappings = mappings;
    this.registry = registry;
    this.resolver = new AddressResolver(properties.policy());
    this.journal = journal;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public GateDecision check(JournalEntry entry, CanonicalRecord record) {
    if (RELATIVE.equals(record.recipientKind())) {
      // A relative is a person, not a SOR unit: consent decides first, and even a permitted message
      // has no MedCom postbox to go to (the consent gate then holds it for an operator).
      return GateDecision.pass(
          "recipient is a relative, not a registry unit: nothing to resolve", null);
    }
    Optional<RegistrySnapshot> active = registry.active();
    if (active.isEmpty()) {
      return GateDecision.hold(
          MessageState.HELD_ADDRESS,
          "address held: no registry snapshot is active yet; re-checked after the first import",
          null);
    }
    GateDecision decision = decide(entry, record, active.get());
    if (decision.kind() != GateDecision.Kind.PASS) {
      // A hold or a failure rests on what the snapshot lacks: decided by the cluster's active
      // snapshot, not by one another node's import replaced up to RegistryService.RECHECK ago (a
      // message held then as unknown would wait for an import that is already active, after the
      // importing node's re-check of held messages). One query, on these paths only.
      RegistrySnapshot latest = registry.activeNow().orElse(active.get());
      if (latest != active.get()) {
        decision = decide(entry, record, latest);
      }
    }
    return decision;
  }

  private GateDecision decide(
      JournalEntry entry, CanonicalRecord record, RegistrySnapshot snapshot) {
    LocalDate today = LocalDate.now(clock.withZone(REGISTER_ZONE));
    MessageType type = MessageTypes.find(MedComCodes.CARE_COMMUNICATION).orElseThrow();
    // The history matters only for a hold (R13: held once as unknown, a second miss fails), so it
    // is read only then: resolving is in memory, reading every message's history is not.
    Resolution resolution = resolver.resolve(record.recipient(), type, snapshot, today, false);
    if (resolution.outcome() == Resolution.Outcome.HELD && heldUnknownBefore(entry)) {
      resolution = resolver.resolve(record.recipient(), type, snapshot, today, true);
    }
    List<String> boundTo =
        mappings.find(entry.source()).map(MappingDefinition::senders).orElse(null);
    Optional<SenderCheck.Finding> sender =
        SenderCheck.check(record.sender(), snapshot, today, boundTo);
    String detail = detail(resolution, snapshot, sender);
    if (resolution.outcome() == Resolution.Outcome.FAILED) {
      return GateDecision.fail(resolution.reason(), detail);
    }
    if (resolution.outcome() == Resolution.Outcome.HELD) {
      return GateDecision.hold(MessageState.HELD_ADDRESS, resolution.reason(), detail);
    }
    if (sender.isPresent() && sender.get().blocking()) {
      String reason =
          "sender address (" + sender.get().step().rule() + "): " + sender.get().step().message();
      return sender.get().fatal()
          ? GateDecision.fail("address rejected, " + reason, detail)
          : GateDecision.hold(MessageState.HELD_ADDRESS, "address held, " + reason, detail);
    }
    // The resolved recipient is what consent is decided on next, and what the message list shows
    // (the gate stage writes it into the entry with the gates' decisions).
    CanonicalRecord.Organisation to = resolution.resolved();
    if (resolution.outcome() == Resolution.Outcome.FIXED) {
      return GateDecision.passChanged(record.withRecipient(to), resolution.reason(), detail)
          .withAddressed(to);
    }
    return GateDecision.pass(resolution.reason(), detail).withAddressed(to);
  }

  /** R13: an unknown code is held once, for the next snapshot; a second miss fails. */
  private boolean heldUnknownBefore(JournalEntry entry) {
    return journal.history(entry.id()).stream()
        .anyMatch(
            e ->
                e.state() == MessageState.HELD_ADDRESS
                    && STAGE.equals(e.stage())
                    && e.reason() != null
                    && e.reason().contains("(R13)"));
  }

  private String detail(
      Resolution r, RegistrySnapshot snapshot, Optional<SenderCheck.Finding> sender) {
    return ResolutionDetail.of(json, r, snapshot, sender);
  }
}
