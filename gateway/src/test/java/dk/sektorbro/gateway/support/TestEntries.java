package dk.sektorbro.gateway.support;

import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.NewEntry;

/** Journal entries for repository tests: what a record needs to be RECEIVED, nothing more. */
public final class TestEntries {

  private TestEntries() {}

  /** Journals a minimal REST record as RECEIVED and returns its id. */
  public static String register(Journal journal, String recordId) {
    return journal
        .register(
            new NewEntry(
                "src",
                recordId,
                "hash-" + recordId,
                Channel.REST,
                null,
                "application/json",
                "{}".getBytes(),
                2,
                null,
                "{}"),
            MessageState.RECEIVED,
            null,
            null)
        .id();
  }
}
