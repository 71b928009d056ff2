package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.pipeline.GateDecision;
import dk.sektorbro.gateway.pipeline.OutboundGate;
import dk.sektorbro.gateway.record.CanonicalRecord;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** First gate: nothing is translated, let alone sent, without a legal basis to disclose it. */
@Component
@Order(100)
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
    return evaluator.toGate(evaluator.evaluate(record));
  }
}
