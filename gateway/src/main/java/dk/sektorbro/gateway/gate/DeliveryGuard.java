package dk.sektorbro.gateway.gate;

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
}
