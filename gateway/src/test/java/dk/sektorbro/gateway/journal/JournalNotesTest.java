package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several history events written in one statement keep their order, reasons and details. */
class JournalNotesTest {

  @Test
  void notesAreAddedInTheirOrder_withTheirStageReasonAndDetail() {
    MigratedPostgres postgres = MigratedPostgres.start();
    Journal journal = TestEntries.journal(postgres.getPostgresDatabase());
    String id = TestEntries.register(journal, "rec-notes");

    journal.notes(
        id,
        List.of(
            new Journal.Note(MessageState.RECEIVED, "addressing", "address ok (R1)", "{\"a\":1}"),
            new Journal.Note(MessageState.RECEIVED, "consent", "permitted by consent c-1", null),
            new Journal.Note(MessageState.RECEIVED, "third", "x".repeat(5000), "{}")));
    journal.notes(id, List.of());

    List<JournalEvent> history = journal.history(id);
    assertThat(history)
        .extracting(JournalEvent::stage)
        .containsExactly("intake", "addressing", "consent", "third");
    assertThat(history.get(1).detail()).isEqualTo("{\"a\":1}");
    assertThat(history.get(2).reason()).isEqualTo("permitted by consent c-1");
    assertThat(history.get(2).detail()).isNull();
    // Over-long reasons are cut to the column, as for a single note.
    assertThat(history.get(3).reason().length()).isLessThan(5000);
  }
}
