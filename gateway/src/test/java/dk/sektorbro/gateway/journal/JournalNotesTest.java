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

  @Test
  void notesWithTheResolvedRecipient_writeBoth_alsoAlone() {
    MigratedPostgres postgres = MigratedPostgres.start();
    Journal journal = TestEntries.journal(postgres.getPostgresDatabase());
    String one = TestEntries.register(journal, "rec-addressed-one");
    String two = TestEntries.register(journal, "rec-addressed-two");
    String none = TestEntries.register(journal, "rec-addressed-none");

    journal.notes(
        one,
        List.of(new Journal.Note(MessageState.RECEIVED, "addressing", "address ok (R1)", "{}")),
        new Journal.Recipient("123456789012345", "5790000000001", "Modtager 1"));
    journal.notes(
        two,
        List.of(
            new Journal.Note(MessageState.RECEIVED, "addressing", "address ok (R1)", "{}"),
            new Journal.Note(MessageState.RECEIVED, "consent", "permitted", null)),
        new Journal.Recipient("223456789012345", "5790000000002", "Modtager 2"));
    journal.notes(
        none, List.of(), new Journal.Recipient("323456789012345", "5790000000003", "Modtager 3"));

    assertThat(journal.history(one))
        .extracting(JournalEvent::stage)
        .containsExactly("intake", "addressing");
    assertThat(journal.history(two))
        .extracting(JournalEvent::stage)
        .containsExactly("intake", "addressing", "consent");
    assertThat(journal.history(none)).extracting(JournalEvent::stage).containsExactly("intake");
    assertThat(journal.find(one).orElseThrow())
        .extracting(
            JournalEntry::recipientSor, JournalEntry::recipientGln, JournalEntry::recipientName)
        .containsExactly("123456789012345", "5790000000001", "Modtager 1");
    assertThat(journal.find(two).orElseThrow())
        .extracting(
            JournalEntry::recipientSor, JournalEntry::recipientGln, JournalEntry::recipientName)
        .containsExactly("223456789012345", "5790000000002", "Modtager 2");
    assertThat(journal.find(none).orElseThrow())
        .extracting(
            JournalEntry::recipientSor, JournalEntry::recipientGln, JournalEntry::recipientName)
        .containsExactly("323456789012345", "5790000000003", "Modtager 3");
  }
}
