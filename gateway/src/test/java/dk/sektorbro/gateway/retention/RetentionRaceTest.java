package dk.sektorbro.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.admin.AuditLog;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention meets an administrator on PostgreSQL. REJECTED is the one prunable state an entry
 * leaves (an edit-and-retry sends it back to RECEIVED): an entry that left it while a retention
 * batch was deciding must keep its content and its history, since it is in the pipeline again. The
 * administrator's move holds the entry's row until it commits, as AdminActions' transaction does;
 * retention's batch runs meanwhile and commits after it.
 */
class RetentionRaceTest {

  private static final Instant NOW = Instant.parse("2026-12-06T02:30:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static DataSource database;
  private static JdbcClient jdbc;
  private static Journal journal;

  @BeforeAll
  static void start() {
    database = MigratedPostgres.start().getPostgresDatabase();
    jdbc = JdbcClient.create(database);
    journal = TestEntries.journal(database);
  }

  @Test
  void anEntryEditedWhileItsContentIsPruned_keepsTheEditedContent() throws Exception {
    String id = rejected(Duration.ofDays(400));
    RetentionService retention = service(new RetentionProperties.Rule(Duration.ofDays(30), null));

    editWhileRetentionRuns(id, retention);

    Map<String, Object> row =
        jdbc.sql(
                "SELECT state, canonical_record, payload, content_pruned_at FROM journal_entry WHERE id = :id")
            .param("id", id)
            .query()
            .singleRow();
    assertThat(row.get("state")).isEqualTo("RECEIVED");
    assertThat(row.get("canonical_record"))
        .as("the edited record the pipeline is to translate")
        .isEqualTo("{\"edited\":true}");
    assertThat(row.get("payload")).as("the original payload").isNotNull();
    assertThat(row.get("content_pruned_at")).isNull();
    assertThat(retentionEvents(id)).isZero();
  }

  @Test
  void anEntryEditedWhileItsHistoryIsDeleted_isLeftOut_andTheBatchCompletes() throws Exception {
    String id = rejected(Duration.ofDays(400));
    RetentionService retention = service(new RetentionProperties.Rule(null, Duration.ofDays(365)));

    // Before: the batch's delete of the entry failed on the edit's new event (foreign key), and
    // the whole batch was rolled back.
    assertThat(editWhileRetentionRuns(id, retention).entriesDeleted()).isZero();

    assertThat(
            jdbc.sql("SELECT state FROM journal_entry WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .optional())
        .contains("RECEIVED");
    assertThat(
            jdbc.sql("SELECT canonical_record FROM journal_entry WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single())
        .isEqualTo("{\"edited\":true}");
  }

  /**
   * The edit moves the entry and replaces its record in one transaction that holds the row until
   * retention's batch waits for it; then it commits, and retention's batch ends.
   */
  private RetentionService.Pass editWhileRetentionRuns(String id, RetentionService retention)
      throws Exception {
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(database));
    CountDownLatch moved = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Void> edit =
        CompletableFuture.runAsync(
            () ->
                tx.executeWithoutResult(
                    s -> {
                      assertThat(
                              journal.transition(
                                  id,
                                  List.of(MessageState.REJECTED),
                                  MessageState.RECEIVED,
                                  "admin",
                                  "edit-and-retry by test",
                                  null))
                          .isTrue();
                      journal.replaceCanonical(id, "{\"edited\":true}", "admin", "edited", null);
                      moved.countDown();
                      await(commit);
                    }));
    assertThat(moved.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<RetentionService.Pass> pass =
        CompletableFuture.supplyAsync(retention::runOnce);
    // Retention's batch reached the entry's row and waits for the edit's lock.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (lockWaiters() == 0 && !pass.isDone() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(lockWaiters()).as("retention waits for the edit's row").isEqualTo(1);
    commit.countDown();
    edit.get(20, TimeUnit.SECONDS);
    return pass.get(20, TimeUnit.SECONDS);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int lockWaiters() {
    return jdbc.sql(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'")
        .query(Integer.class)
        .single();
  }

  private static RetentionService service(RetentionProperties.Rule rejected) {
    RetentionProperties properties =
        new RetentionProperties(
            true,
            Map.of(MessageState.REJECTED, rejected),
            LocalTime.of(1, 0),
            LocalTime.of(5, 0),
            10,
            Duration.ofSeconds(10),
            new RetentionProperties.Archive(null, null),
            null,
            null);
    return new RetentionService(
        new RetentionRepository(jdbc),
        new AuditLog(jdbc, CLOCK),
        properties,
        new TransactionTemplate(new DataSourceTransactionManager(database)),
        new ObjectMapper(),
        CLOCK);
  }

  private static String rejected(Duration age) {
    String id = UUID.randomUUID().toString();
    OffsetDateTime at = OffsetDateTime.ofInstant(NOW.minus(age), ZoneOffset.UTC);
    jdbc.sql(
            """
            INSERT INTO journal_entry (id, source, idempotency_key, content_hash, channel, payload, payload_size,
                                       received_at, updated_at, state, canonical_record, fhir_message)
            VALUES (:id, 'nordby-socialpsykiatri', :id, 'hash', 'FILE', :payload, 10, :at, :at, 'REJECTED',
                    '{}', '<Bundle/>')""")
        .param("id", id)
        .param("payload", ("payload " + id).getBytes(StandardCharsets.UTF_8))
        .param("at", at)
        .update();
    jdbc.sql(
            """
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason)
            VALUES (:id, :at, 'REJECTED', 'test', 'rejected by the recipient')""")
        .param("id", id)
        .param("at", at)
        .update();
    return id;
  }

  private static int retentionEvents(String id) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM journal_event WHERE entry_id = :id AND stage = 'retention'")
        .param("id", id)
        .query(Integer.class)
        .single();
  }
}
