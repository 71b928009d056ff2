package dk.sektorbro.gateway.platform;

/**
 * Where a stage's failure is written down: the journal implements it, so error handling (here,
 * below the journal) records FAILED without depending on it.
 */
public interface FailedEntries {

  /**
   * Moves the entry to FAILED with {@code reason}, when it is still unfinished; otherwise nothing.
   */
  void failUnfinished(String journalId, String stage, String reason);
}
