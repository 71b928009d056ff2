package dk.sektorbro.gateway.journal;

/**
 * A fenced stage's write ({@link Journal#fence}) found the entry no longer this node's or no longer
 * in the state the stage read it in: another node took it over while this one was stalled. The
 * stage's transaction rolls back; nothing it decided is written.
 */
public final class EntryTakenOver extends RuntimeException {

  EntryTakenOver(String entryId) {
    super("entry " + entryId + " taken over by another node", null, false, false);
  }
}
