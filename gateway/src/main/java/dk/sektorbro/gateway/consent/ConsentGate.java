package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.pipeline.GateDecision;
import dk.sektorbro.gateway.pipeline.OutboundGate;
import dk.sektorbro.gateway.record.CanonicalRecord;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The consent gate, after addressing ({@code @Order(300)} vs 200): the decision is made on the
 * recipient as the registry resolved it (normalised SOR, SOR from EAN, successor of a closed unit),
 * so a consent is matched against the unit the message would really go to. Nothing is translated,
 * let alone sent, without a legal basis to disclose it.
 */
@Component
@Order(300)
public class ConsentGate implements OutboundGate {

  public static final String NAME = "consent";

  private final ConsentEvaluator evaluator;

  public ConsentGate(ConsentEvaluator evaluator) {
    this.evaluator = evaluator;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GateDecision check(JournalEntry entry, CanonicalRecord record) {
    GateDecision decision = evaluator.toGate(evaluator.evaluate(entry, record));
    if (decision.kind() == GateDecision.Kind.PASS && RecipientKind.RELATIVE.code().equals(record.recipientKind())) {
      // Permitted, but a relative has no MedCom postbox: an operator sends it another way or discards it.
      return GateDecision.hold(MessageState.HELD_ADDRESS, decision.reason()
          + "; but a relative has no MedCom postbox: held for an operator", decision.detail());
    }
    return decision;
  }
}
