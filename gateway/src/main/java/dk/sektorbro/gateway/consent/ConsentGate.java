package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.gate.OutboundGate;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.record.CanonicalRecord;
import org.springframework.stereotype.Component;

/**
 * The consent gate, after addressing (gate.GateOrder): the decision is made on the recipient as the
 * registry resolved it (normalised SOR, SOR from EAN, successor of a closed unit), so a consent is
 * matched against the unit the message would really go to. Nothing is translated, let alone sent,
 * without a legal basis to disclose it.
 */
@Component
public class ConsentGate implements OutboundGate {

  public static final String NAME = "consent";

  /**
   * Why a permitted message to a relative ends here: a CareCommunication only goes to SOR/EAN
   * postboxes.
   */
  public static final String NO_POSTBOX =
      "relatives have no MedCom postbox: inform the relative by other means"
          + " (phone, letter, a meeting); the gateway does not deliver this message";

  private final ConsentEvaluator evaluator;
  private final ObjectMapper json;

  public ConsentGate(ConsentEvaluator evaluator, ObjectMapper json) {
    this.evaluator = evaluator;
    this.json = json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GateDecision check(JournalEntry entry, CanonicalRecord record) {
    GateDecision decision = evaluator.toGate(evaluator.evaluate(entry, record));
    if (decision.kind() == GateDecision.Kind.PASS
        && RecipientKind.RELATIVE.code().equals(record.recipientKind())) {
      // The disclosure is permitted (the decision is kept in the detail), but MedCom has no way to
      // reach a person: the message ends here, with the reason, and staff inform the relative
      // directly.
      return GateDecision.fail(
          decision.reason() + "; but " + NO_POSTBOX, withDelivery(decision.detail()));
    }
    return decision;
  }

  private String withDelivery(String detail) {
    try {
      ObjectNode node = (ObjectNode) json.readTree(detail);
      node.put("delivery", "none: " + NO_POSTBOX);
      return json.writeValueAsString(node);
    } catch (JsonProcessingException | ClassCastException e) {
      return detail;
    }
  }
}
