package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The journal schema and queries on real PostgreSQL (zonky ships the binaries), the production
 * database.
 */
class PostgresMigrationTest {

  private static MigratedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = MigratedPostgres.empty();
  }

  @Test
  void everyMigration_runsOnPostgres_andTheJournalWorksThere() {
    MigrateResult result =
        Flyway.configure()
            .dataSource(postgres.getPostgresDatabase())
            .locations("classpath:db/migration")
            .load()
            .migrate();
    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(1);

    JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    Journal journal = TestEntries.journal(postgres.getPostgresDatabase());
    NewEntry entry =
        new NewEntry(
            "src",
            "rec-1",
            "abc",
            Channel.REST,
            null,
            "application/json",
            "{\"a\":1}".getBytes(),
            7,
            null,
            "{}");
    Journal.Registration first = journal.register(entry, MessageState.RECEIVED, null, null);
    Journal.Registration again = journal.register(entry, MessageState.RECEIVED, null, null);
    assertThat(again.duplicate()).isTrue();
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(
            journal.transition(
                first.id(),
                List.of(MessageState.RECEIVED),
                MessageState.FAILED,
                "test",
                "why",
                null))
        .isTrue();
    assertThatThrownBy(
            () ->
                journal.transition(
                    first.id(),
                    List.of(MessageState.FAILED),
                    MessageState.SENT,
                    "test",
                    "not in the lifecycle",
                    null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(journal.payload(first.id()))
        .hasValueSatisfying(p -> assertThat(new String(p)).isEqualTo("{\"a\":1}"));
    assertThat(journal.history(first.id()))
        .extracting(JournalEvent::state)
        .containsExactly(MessageState.RECEIVED, MessageState.RECEIVED, MessageState.FAILED);
    assertThat(
            journal.search(
                new JournalQuery(MessageState.FAILED, "src", Channel.REST, null, null, 0, 10)))
        .hasSize(1);
    Map<String, Object> row =
        jdbc.sql("SELECT state, payload_size FROM journal_entry").query().singleRow();
    assertThat(row).containsEntry("state", "FAILED");
  }
}
