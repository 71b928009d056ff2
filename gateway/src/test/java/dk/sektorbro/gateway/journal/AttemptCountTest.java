package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable start count behind QUARANTINED, on PostgreSQL: two stages on one state (gates, then
 * translate, both on RECEIVED) as every restart runs them on a record that dies in translate.
 */
class AttemptCountTest {

  private static MigratedPostgres postgres;
  private static Journal journal;

  @BeforeAll
  static void start() throws Exception {
    postgres = MigratedPostgres.start();
    journal = TestEntries.journal(postgres.getPostgresDatabase());
  }

  @Test
  void aRecordDyingInTheSecondStageOfItsState_isCountedThereOnEveryRestart() {
    String id = TestEntries.register(journal, "rec-dies-in-translate");
    for (int run = 1; run <= 4; run++) {
      int gates = journal.countAttempt(id, "gates", List.of("translate", "validate", "deliver"));
      int translate = journal.countAttempt(id, "translate", List.of("validate", "deliver"));
      // The gates passed before; only translate, where the process died, counts on.
      assertThat(gates).as("gates in run %d", run).isEqualTo(run == 1 ? 1 : 0);
      assertThat(translate).as("translate in run %d", run).isEqualTo(run);
    }
    // Moving on resets the count.
    assertThat(
            journal.transition(
                id,
                List.of(MessageState.RECEIVED),
                MessageState.TRANSLATED,
                "translate",
                "ok",
                null))
        .isTrue();
    assertThat(journal.countAttempt(id, "validate", List.of("deliver"))).isEqualTo(1);
  }

  @Test
  void aRecordDyingInTheFirstStage_isCountedThere() {
    String id = TestEntries.register(journal, "rec-dies-in-gates");
    for (int run = 1; run <= 3; run++) {
      assertThat(journal.countAttempt(id, "gates", List.of("translate", "validate", "deliver")))
          .isEqualTo(run);
    }
  }

  @Test
  void recoveryResumesOldestFirst_butEntriesAStageHadStartedOnLast() {
    String started = TestEntries.register(journal, "rec-started-and-killed");
    String older = TestEntries.register(journal, "rec-older");
    String newer = TestEntries.register(journal, "rec-newer");
    // A stage had started on the oldest when the process died: it is a suspect, the others not.
    journal.countAttempt(started, "translate", List.of("validate", "deliver"));

    List<String> order =
        journal.claimUnfinished(OffsetDateTime.now().plusSeconds(5), 1000).stream()
            .map(PendingEntry::id)
            .filter(id -> List.of(started, older, newer).contains(id))
            .toList();

    assertThat(order).containsExactly(older, newer, started);
  }

  @Test
  void theCountedStartReadsTheEntryForTheStage_onceAndOnlyOnThatThreadForThatId() {
    String id = TestEntries.register(journal, "rec-read-with-its-count");
    String other = TestEntries.register(journal, "rec-other");
    journal.countAttempt(id, "gates", List.of("translate", "validate", "deliver"));
    journal.transition(
        id, List.of(MessageState.RECEIVED), MessageState.FAILED, "gates", "moved meanwhile", null);

    // The entry as the count read it (RECEIVED); the stage's own move checks the state again.
    assertThat(journal.forStage(id).orElseThrow().state()).isEqualTo(MessageState.RECEIVED);
    // Used once: after that, and for any other id, the journal is read.
    assertThat(journal.forStage(id).orElseThrow().state()).isEqualTo(MessageState.FAILED);
    journal.countAttempt(other, "gates", List.of("translate", "validate", "deliver"));
    assertThat(journal.forStage(id).orElseThrow().state()).isEqualTo(MessageState.FAILED);
  }

  @Test
  void aRelaxedStageCommit_leavesTheConnectionForcingCommits_andNeverRelaxesACallersTransaction()
      throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      SingleConnectionDataSource one = new SingleConnectionDataSource(connection, true);
      JdbcClient jdbc = JdbcClient.create(one);
      TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(one));
      Journal onOneConnection =
          new Journal(
              new JournalRepository(jdbc), tx, Clock.systemUTC(), new SimpleMeterRegistry());
      // As the gateway's own server is set (this test server is not: zonky's test settings).
      jdbc.sql("SET synchronous_commit TO on").update();
      String id = TestEntries.register(journal, "rec-relaxed");

      // Relaxed on its own: the setting ends with the statement's transaction, so the next
      // transaction on this pooled connection (intake, delivery) commits to disk again.
      assertThat(onOneConnection.countAttempt(id, "gates", List.of("translate"))).isEqualTo(1);
      assertThat(synchronousCommit(jdbc)).isEqualTo("on");
      assertThat(
              onOneConnection.advance(
                  id, List.of(MessageState.RECEIVED), MessageState.TRANSLATED, "t", "ok", null))
          .isTrue();
      assertThat(synchronousCommit(jdbc)).isEqualTo("on");

      // Inside a caller's transaction the caller's commit decides: nothing is relaxed.
      String inCaller =
          tx.execute(
              status -> {
                onOneConnection.countAttempt(id, "validate", List.of("deliver"));
                onOneConnection.advance(
                    id, List.of(MessageState.TRANSLATED), MessageState.VALIDATED, "v", "ok", null);
                return synchronousCommit(jdbc);
              });
      assertThat(inCaller).isEqualTo("on");
      assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.VALIDATED);

      // A stage's multi-statement transaction (inStage) is relaxed within it, and only there: by
      // its first write of the entry, without a statement of its own,
      String afterWrite =
          onOneConnection.inStage(
              () -> {
                onOneConnection.addressed(id, "123456789012345", "5790000000000", "Modtager");
                return synchronousCommit(jdbc);
              });
      assertThat(afterWrite).isEqualTo("off");
      assertThat(synchronousCommit(jdbc)).isEqualTo("on");
      // The gates' decisions written with the resolved recipient (one statement) relax it too.
      String afterNotes =
          onOneConnection.inStage(
              () -> {
                onOneConnection.notes(
                    id,
                    List.of(new Journal.Note(MessageState.VALIDATED, "addressing", "ok", null)),
                    new Journal.Recipient("123456789012345", "5790000000000", "Modtager"));
                return synchronousCommit(jdbc);
              });
      assertThat(afterNotes).isEqualTo("off");
      assertThat(synchronousCommit(jdbc)).isEqualTo("on");
      // or, in a stage that wrote none (here a move that did not find its entry in the state),
      // just before its commit.
      AtomicReference<String> atCommit = new AtomicReference<>();
      onOneConnection.inStage(
          () -> {
            boolean moved =
                onOneConnection.transition(
                    id, List.of(MessageState.RECEIVED), MessageState.FAILED, "g", "no", null);
            TransactionSynchronizationManager.registerSynchronization(
                new TransactionSynchronization() {
                  @Override
                  public void beforeCommit(boolean readOnly) {
                    atCommit.set(synchronousCommit(jdbc));
                  }
                });
            return moved;
          });
      assertThat(atCommit.get()).isEqualTo("off");
      assertThat(synchronousCommit(jdbc)).isEqualTo("on");
      assertThat(journal.find(id).orElseThrow().recipientGln()).isEqualTo("5790000000000");
      assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.VALIDATED);
    }
  }

  private static String synchronousCommit(JdbcClient jdbc) {
    return jdbc.sql("SHOW synchronous_commit").query(String.class).single();
  }
}
