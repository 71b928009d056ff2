package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import dk.sektorbro.gateway.gate.DeliveryGuard;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.journal.CanonicalRecords;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.record.CanonicalRecord;
import org.springframework.stereotype.Component;

/**
 * The consent decision again, immediately before the postbox write: a revocation (or refusal)
 * recorded while the message waited in translation, validation or the delivery queue takes effect.
 * A PERMIT is journaled here too, so the history shows on which basis the message actually left.
 */
@Component
public class ConsentGuard implements DeliveryGuard {

  public static final String NAME = "consent-recheck";

  private final ConsentEvaluator evaluator;
  private final Journal journal;
  private final CanonicalRecords records;

  public ConsentGuard(ConsentEvaluator evaluator, Journal journal, CanonicalRecords records) {
    this.evaluator = evaluator;
    this.journal = journal;
    this.records = records;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GateDecision recheck(JournalEntry entry) {
    ConsentEvaluator.Evaluation evaluation = evaluator.evaluate(entry, read(entry));
    GateDecision decision = evaluator.toGate(evaluation);
    if (decision.kind() == GateDecision.Kind.PASS) {
      journal.note(
          entry.id(),
          MessageState.VALIDATED,
          NAME,
          "rechecked before delivery: " + decision.reason(),
          decision.detail());
    }
    return decision;
  }

  // The last stage that reads the record (CanonicalRecords keeps it no longer).
  private CanonicalRecord read(JournalEntry entry) {
    try {
      return records.readLast(entry);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new PermanentFailure(
          "the journaled canonical record cannot be read for the consent recheck");
    }
  }
}
