package dk.sektorbro.gateway.gate;

import dk.sektorbro.gateway.journal.MessageState;

/**
 * The way into the pipeline for a journaled entry: intake after journaling a record, and consent or
 * addressing when they release a held message. The pipeline implements it, so a capability that
 * feeds it needs no pipeline class.
 */
public interface StageDispatch {

  /**
   * Queues the entry for the stage that follows the state it is in (RECEIVED, TRANSLATED or
   * VALIDATED).
   */
  void resume(String journalId, MessageState state);
}
