package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.NewEntry;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V5 and the console's queries (filters, LIKE escapes, grouping, the audit log) on real PostgreSQL.
 */
class AdminQueriesPostgresTest {

  private static MigratedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = MigratedPostgres.start();
  }

  @Test
  void filtersCountsAndAudit_workOnPostgres() {
    JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    Journal journal = TestEntries.journal(postgres.getPostgresDatabase());
    String failed =
        journal.register(entry("rec-1", "0101505555"), MessageState.RECEIVED, null, null).id();
    journal.transition(
        failed,
        List.of(MessageState.RECEIVED),
        MessageState.FAILED,
        "deliver",
        "internal error after retries (FileAlreadyExistsException: 100%_sure)",
        null);
    journal.note(failed, MessageState.FAILED, "intake", "duplicate submission via REST ignored");
    journal.register(entry("rec-2", "0202505555"), MessageState.RECEIVED, null, null);

    AdminQueries queries = new AdminQueries(jdbc, journal, Clock.systemUTC());
    JournalQuery byCpr =
        new JournalQuery(
            null,
            null,
            null,
            null,
            null,
            null,
            JournalQuery.startOf(LocalDate.now().minusDays(1), ZoneOffset.UTC),
            JournalQuery.startOf(LocalDate.now().plusDays(1), ZoneOffset.UTC),
            null,
            "0101505555",
            0,
            25);
    assertThat(queries.messages(byCpr))
        .extracting(MessageRow::id, MessageRow::maskedCpr)
        .containsExactly(Tuple.tuple(failed, "010150-xxxx"));
    assertThat(queries.messages(JournalQuery.inState(MessageState.RECEIVED, 0, 25)))
        .extracting(MessageRow::maskedCpr)
        .containsExactly("020250-xxxx");
    JournalQuery byReason =
        new JournalQuery(
            MessageState.FAILED,
            "src",
            null,
            null,
            null,
            null,
            null,
            null,
            "100%_SURE",
            null,
            0,
            25);
    assertThat(queries.count(byReason)).isEqualTo(1);
    assertThat(
            queries.count(
                new JournalQuery(
                    null, null, null, null, null, null, null, null, "100%x", null, 0, 25)))
        .isZero();
    assertThat(
            queries.count(
                new JournalQuery(
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    JournalQuery.startOf(LocalDate.now().minusDays(1), ZoneOffset.UTC),
                    null,
                    null,
                    0,
                    25)))
        .isZero();
    assertThat(queries.failedIds("deliver", "filealreadyexists", 10)).containsExactly(failed);
    assertThat(queries.failedIds("validate", null, 10)).isEmpty();
    assertThat(queries.countsByState(queries.now().minusDays(1)))
        .containsEntry(MessageState.FAILED, 1L)
        .containsEntry(MessageState.RECEIVED, 1L);
    assertThat(queries.countsByStage(queries.now().minusDays(1)))
        .contains(new AdminQueries.StageCount("deliver", 1, 1));
    assertThat(queries.failuresByReason(5)).hasSize(1);
    assertThat(queries.failureTimes(queries.now().minusDays(1))).hasSize(1);

    AuditLog audit = new AuditLog(jdbc, Clock.systemUTC());
    audit.record("admin", AuditAction.RETRY, failed, null, "fixed", "FAILED -> VALIDATED");
    audit.record("admin", AuditAction.SUSPEND_ROUTE, null, "deliver", "maintenance", null);
    assertThat(audit.list(failed, 0, 10)).extracting(AuditEntry::action).containsExactly("RETRY");
    assertThat(audit.list(null, AuditAction.SUSPEND_ROUTE, 0, 10))
        .extracting(AuditEntry::target)
        .containsExactly("deliver");
    assertThat(audit.count()).isEqualTo(2);
  }

  private static NewEntry entry(String recordId, String cpr) {
    return new NewEntry(
        "src",
        recordId,
        recordId,
        Channel.REST,
        null,
        "application/json",
        "{}".getBytes(),
        2,
        null,
        "{}",
        cpr);
  }
}
