package dk.sektorbro.gateway.gate;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;

/**
 * A last check immediately before a message is written to a postbox, for decisions that may have
 * changed while it was queued (e.g. a consent revoked since the gate passed it). A HOLD or FAIL
 * here means the message is not delivered. Guards run in {@link GateOrder}'s order.
 */
public interface DeliveryGuard {

  /** Stage name in the journal history, e.g. "consent-recheck" or "addressing". */
  String name();

  GateDecision recheck(JournalEntry entry);

  /**
   * The history event a PASS leaves, or null for none. The caller journals it in the transaction
   * that decides the delivery, before the message leaves (the delivery stage: in the statement that
   * fixes the outbound bytes), so the history shows on which basis the message left.
   */
  default Journal.Note passNote(JournalEntry entry, GateDecision decision) {
    return null;
  }
}
