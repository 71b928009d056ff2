package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.List;
import java.util.function.Consumer;

/**
 * What intake asks of a capability whose records need more than their mapping before they are
 * journaled: a mapped care plan becomes its document and PDF first (the careplan package implements
 * this). Intake owns the contract, so it needs no care-plan class.
 */
public interface RecordPreparation {

  /**
   * @param contentHash the submission's content hash, to tell a resubmission from a conflicting one
   * @param recordHash the hash of the record as mapped ({@link RecordHash}): a resubmission
   *     serialised anew is one too
   */
  Prepared prepare(
      String source, MappingOutcome.Mapped mapped, String contentHash, String recordHash);

  /**
   * Thrown by {@link Prepared.Ready#afterJournaling} when what the preparation checked changed
   * before the record was journaled (another version of the same plan was stored meanwhile): the
   * journaling rolls back and the record is prepared again.
   */
  final class Outdated extends RuntimeException {
    public Outdated() {
      super("the preparation is out of date: prepare again", null, false, false);
    }
  }

  /** The outcome: a record to journal, a refusal, or the mapped record as it is. */
  sealed interface Prepared {

    /**
     * Journal {@code record}; {@code afterJournaling} gets the journal id before the pipeline
     * starts.
     */
    record Ready(CanonicalRecord record, Consumer<String> afterJournaling) implements Prepared {}

    /** Not usable: journaled FAILED with these issues. */
    record Refused(List<MappingIssue> issues) implements Prepared {}

    /** Received before with the same content: journal the mapped record as it is (a duplicate). */
    record AsMapped() implements Prepared {}
  }
}
