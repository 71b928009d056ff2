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
 * A PERMIT is journaled too ({@link #passNote}, by the caller with the delivery's own writes), so
 * the history shows on which basis, rule and consent record the message actually left.
 */
@Component
public class ConsentGuard implements DeliveryGuard {

  public static final String NAME = "consent-recheck";

  private final ConsentEvaluator evaluator;
  private final CanonicalRecords records;

  public ConsentGuard(ConsentEvaluator evaluator, CanonicalRecords records) {
    this.evaluator = evaluator;
    this.records = records;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GateDecision recheck(JournalEntry entry) {
    ConsentEvaluator.Evaluation evaluation = evaluator.evaluate(entry, read(entry));
    return evaluator.toGate(evaluation);
  }

  /** The PERMIT with its rule and consent record (the decision's detail). */
  @Override
  public Journal.Note passNote(JournalEntry entry, GateDecision decision) {
    return new Journal.Note(
        MessageState.VALIDATED,
        NAME,
        "rechecked before delivery: " + decision.reason(),
        decision.detail());
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
