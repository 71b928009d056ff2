package dk.sektorbro.gateway.gate;

import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.record.CanonicalRecord;

/**
 * A check every record passes before it is translated and sent: consent (is there a legal basis?)
 * and addressing (is the recipient a postbox that can receive this?). Gates are plain Java, run in
 * {@link GateOrder}'s order, and each decision is journaled.
 */
public interface OutboundGate {

  /** Stage name in the journal history, e.g. "consent" or "addressing". */
  String name();

  GateDecision check(JournalEntry entry, CanonicalRecord record);
}
