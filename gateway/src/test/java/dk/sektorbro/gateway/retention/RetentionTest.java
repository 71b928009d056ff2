package dk.sektorbro.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.admin.AuditLog;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.threads.ThreadRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention on PostgreSQL (the gateway's embedded default and production database). Old final
 * entries lose their contents, then their history; held, failed, recent and unruled entries are
 * untouched; batches stay small; every step is archived (encrypted), in the entry's history and in
 * the audit log.
 */
class RetentionTest {

  private static final Instant NOW = Instant.parse("2026-12-06T02:30:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final RetentionProperties.Rule ACKNOWLEDGED_RULE =
      new RetentionProperties.Rule(Duration.ofDays(90), Duration.ofDays(1825));
  private static MigratedPostgres postgres;

  @TempDir Path temp;

  // The gateway's default database is the PostgreSQL it starts itself; production uses a server.
  // Both are PostgreSQL 17. (The H2 variant went: H2 is no longer a supported journal, and its
  // file database failed a foreign key on a row it had just inserted in one CI run.)
  @Test
  void oldFinalEntriesArePrunedInBatches_heldFailedAndRecentOnesNever_onPostgresql()
      throws Exception {
    DataSource dataSource = emptyTables();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    String old1 = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(100));
    String old2 = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(95));
    String old3 = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(91));
    String recent = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(10));
    String ancient = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(6 * 365));
    String failed = insert(jdbc, MessageState.FAILED, Duration.ofDays(6 * 365));
    String held = insert(jdbc, MessageState.HELD_CONSENT, Duration.ofDays(6 * 365));
    String rejected = insert(jdbc, MessageState.REJECTED, Duration.ofDays(400));

    for (String id : List.of(old1, ancient, recent)) {
      jdbc.sql(
              """
              INSERT INTO outbound_message (entry_id, bundle_id, route_key, payload, content_type, file_extension, prepared_at)
              VALUES (:id, 'b1', 'POSTBOX', :payload, 'application/fhir+xml', 'xml', :at)""")
          .param("id", id)
          .param("payload", "signed".getBytes(StandardCharsets.UTF_8))
          .param("at", OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC))
          .update();
    }
    // The key file as Base64 text (the other tests write it raw).
    Archive archive = archive("archive", true);
    RetentionService retention =
        service(dataSource, 2, archive, new RetentionProperties.Rule(null, null));

    // Oldest first, two at a time: the 6-year-old entry loses its content, then goes entirely.
    RetentionService.Pass first = retention.runOnce();
    assertThat(first).isEqualTo(new RetentionService.Pass(2, 1));
    RetentionService.Pass second = retention.runOnce();
    assertThat(second).isEqualTo(new RetentionService.Pass(2, 0));
    assertThat(retention.runOnce()).isEqualTo(new RetentionService.Pass(0, 0));

    for (String id : List.of(old1, old2, old3)) {
      assertThat(content(jdbc, id)).as(id).containsOnlyNulls();
      assertThat(
              jdbc.sql(
                      "SELECT reason FROM journal_event WHERE entry_id = :id AND stage = 'retention'")
                  .param("id", id)
                  .query(String.class)
                  .list())
          .singleElement()
          .asString()
          .contains("content removed by retention: ACKNOWLEDGED for more than 90 days");
      assertThat(events(jdbc, id)).as("history kept").isEqualTo(2);
    }
    for (String id : List.of(recent, failed, held, rejected)) {
      assertThat(content(jdbc, id)).as(id).doesNotContainNull();
      assertThat(events(jdbc, id)).isEqualTo(1);
    }
    assertThat(jdbc.sql("SELECT entry_id FROM outbound_message").query(String.class).list())
        .as("prepared outbound bytes go with the contents")
        .containsExactly(recent);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM journal_entry WHERE id = :id")
                .param("id", ancient)
                .query(Integer.class)
                .single())
        .as("deleted after 5 years")
        .isZero();
    assertThat(events(jdbc, ancient)).isZero();

    List<Map<String, Object>> audit =
        jdbc.sql("SELECT actor, action, target, detail FROM admin_audit ORDER BY id")
            .query()
            .listOfRows();
    assertThat(audit)
        .extracting(r -> r.get("action"))
        .containsExactly(
            "RETENTION_PRUNE_CONTENT", "RETENTION_DELETE_HISTORY", "RETENTION_PRUNE_CONTENT");
    assertThat(audit)
        .allMatch(
            r ->
                r.get("actor").equals("system:retention")
                    && r.get("target").equals("ACKNOWLEDGED"));
    assertThat(audit.get(1).get("detail").toString()).contains(ancient);

    List<Path> archives = archive.files();
    assertThat(archives).hasSize(3);
    String all = archive.decrypted();
    assertThat(all)
        .contains(old1, old2, old3, ancient)
        .doesNotContain(recent)
        .doesNotContain(failed);
    assertThat(all)
        .contains(
            Base64.getEncoder()
                .encodeToString(("payload " + old1).getBytes(StandardCharsets.UTF_8)))
        .contains("canonical " + old1)
        .contains("\"history\"");
    assertThat(Files.readAllBytes(archives.get(0)))
        .asString(StandardCharsets.ISO_8859_1)
        .doesNotContain(old1);
    byte[] wrong = new byte[32];
    assertThatThrownBy(() -> RetentionArchive.read(archives.get(0), wrong))
        .isInstanceOf(AEADBadTagException.class);
  }

  @Test
  void copiesOfTheContentGoWithIt_andReceivedMessagesHaveTheirOwnRule() throws Exception {
    DataSource dataSource = emptyTables();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    OffsetDateTime now = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
    // An acknowledged plan version, 100 days old: its copies outside journal_entry.
    String old = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(100));
    Path keptFile =
        Files.writeString(
            Files.createDirectories(temp.resolve("data/archive/oversize")).resolve("kept.bin"),
            "kept original " + old);
    jdbc.sql("UPDATE journal_entry SET archive_path = :p WHERE id = :id")
        .param("p", keptFile.toString())
        .param("id", old)
        .update();
    threadMessage(jdbc, "h-" + old, "SENT", old, now.minusDays(100));
    jdbc.sql(
            """
            INSERT INTO admin_audit (occurred_at, actor, action, entry_id, target, reason, detail, previous_canonical)
            VALUES (:at, 'admin', 'EDIT_AND_RETRY', :id, null, 'typo', '{}', :canonical)""")
        .param("at", now.minusDays(120))
        .param("id", old)
        .param("canonical", "before the edit " + old)
        .update();
    String oldDocument = planDocument(jdbc, old, 1, null, now.minusDays(100));
    // The same plan's first version, 6 years old and delivered, replaced by a recent version.
    String ancient = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(6 * 365));
    String ancientDocument = planDocument(jdbc, ancient, 0, null, now.minusDays(6 * 365));
    jdbc.sql(
            """
            INSERT INTO document_delivery (document_id, journal_id, recipient_gln, state, attempts, queued_at, updated_at)
            VALUES (:d, :j, '5790000000000', 'DELIVERED', 1, :at, :at)""")
        .param("d", ancientDocument)
        .param("j", ancient)
        .param("at", now.minusDays(6 * 365))
        .update();
    String recent = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(5));
    String recentDocument = planDocument(jdbc, recent, 2, ancientDocument, now.minusDays(5));
    // Received from a hospital: CareCommunications kept for replies, and the record of each
    // message.
    threadMessage(jdbc, "received-old", "RECEIVED", null, now.minusDays(100));
    threadMessage(jdbc, "received-new", "RECEIVED", null, now.minusDays(10));
    inbound(jdbc, "inbound-ancient", "HANDED_OVER", now.minusDays(6 * 365));
    inbound(jdbc, "inbound-kept", "KEPT", now.minusDays(6 * 365));
    inbound(jdbc, "inbound-new", "HANDED_OVER", now.minusDays(10));

    Archive archive = archive("retention-archive", false);
    runUntilNothingIsDue(service(dataSource, 10, archive, ACKNOWLEDGED_RULE));

    // Content of the 100-day-old entry: every copy gone, the document's row kept for the chain.
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM thread_message WHERE journal_entry_id = :id")
                .param("id", old)
                .query(Integer.class)
                .single())
        .isZero();
    assertThat(
            jdbc.sql("SELECT previous_canonical FROM admin_audit WHERE entry_id = :id")
                .param("id", old)
                .query(String.class)
                .list())
        .containsOnlyNulls()
        .hasSize(1);
    assertThat(
            jdbc.sql("SELECT bundle_json, pdf FROM plan_document WHERE id = :id")
                .param("id", oldDocument)
                .query((rs, n) -> Arrays.asList(rs.getString(1), rs.getBytes(2)))
                .single())
        .containsOnlyNulls();
    assertThat(keptFile).doesNotExist();
    // History of the 6-year-old entry: its document and delivery gone, the later version unlinked
    // but kept.
    assertThat(
            jdbc.sql("SELECT id FROM plan_document ORDER BY plan_version")
                .query(String.class)
                .list())
        .containsExactly(oldDocument, recentDocument);
    assertThat(
            jdbc.sql("SELECT replaces_id FROM plan_document WHERE id = :id")
                .param("id", recentDocument)
                .query(String.class)
                .list())
        .containsOnlyNulls();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM document_delivery").query(Integer.class).single())
        .isZero();
    assertThat(
            jdbc.sql("SELECT bundle_json FROM plan_document WHERE id = :id")
                .param("id", recentDocument)
                .query(String.class)
                .single())
        .isEqualTo("bundle " + recent);
    // Received: old content and old records go; the recent ones and the one KEPT for a consent
    // stay.
    assertThat(
            jdbc.sql("SELECT message_header_id FROM thread_message ORDER BY 1")
                .query(String.class)
                .list())
        .containsExactly("received-new");
    assertThat(jdbc.sql("SELECT id FROM inbound_message ORDER BY 1").query(String.class).list())
        .containsExactly("inbound-kept", "inbound-new");

    List<Map<String, Object>> audit =
        jdbc.sql(
                "SELECT action, target, detail FROM admin_audit"
                    + " WHERE actor = 'system:retention' ORDER BY id")
            .query()
            .listOfRows();
    assertThat(audit)
        .extracting(r -> r.get("action") + " " + r.get("target"))
        .contains(
            "RETENTION_PRUNE_CONTENT ACKNOWLEDGED", "RETENTION_DELETE_HISTORY ACKNOWLEDGED",
            "RETENTION_PRUNE_CONTENT INBOUND", "RETENTION_DELETE_HISTORY INBOUND");
    assertThat(audit.toString())
        .contains("received-old")
        .contains("inbound-ancient")
        .doesNotContain("inbound-kept");

    String all = archive.decrypted();
    assertThat(all)
        .contains("message h-" + old)
        .contains("before the edit " + old)
        .contains("bundle " + old)
        .contains("kept original " + old)
        .contains("message received-old")
        .contains("ack inbound-ancient")
        .doesNotContain("received-new")
        .doesNotContain("ack inbound-kept");
  }

  @Test
  void aSentMessagesThreadRowWithoutItsOwnText_isArchivedWithTheEntrysMessage_andGoesWithIt()
      throws Exception {
    DataSource dataSource = emptyTables();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    OffsetDateTime now = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
    // Two sent messages kept once (V37): the thread row has no text, the entry has it.
    String old = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(100));
    String recent = insert(jdbc, MessageState.ACKNOWLEDGED, Duration.ofDays(10));
    for (String id : List.of(old, recent)) {
      jdbc.sql("UPDATE journal_entry SET message_header_id = :h WHERE id = :id")
          .param("h", "h-" + id)
          .param("id", id)
          .update();
      jdbc.sql(
              """
              INSERT INTO thread_message (message_header_id, thread_id, direction, journal_entry_id, recorded_at)
              VALUES (:h, :t, 'SENT', :id, :at)""")
          .param("h", "h-" + id)
          .param("t", "thread-" + id)
          .param("id", id)
          .param("at", now.minusDays(100))
          .update();
    }
    Archive archive = archive("sent-archive", false);
    runUntilNothingIsDue(service(dataSource, 10, archive, ACKNOWLEDGED_RULE));

    // The old entry's content went, its thread row with it; the recent one's thread still has its
    // text (the entry's), whatever the row's own age.
    assertThat(
            jdbc.sql("SELECT message_header_id FROM thread_message ORDER BY 1")
                .query(String.class)
                .list())
        .containsExactly("h-" + recent);
    assertThat(new ThreadRepository(jdbc).find("h-" + recent).orElseThrow().message())
        .isEqualTo("<Bundle/> " + recent);
    // The archive keeps the thread's copy as before, with the entry's message as its text.
    String all = archive.decrypted();
    assertThat(all)
        .contains(
            "\"kind\":\"threadMessage\",\"messageHeaderId\":\"h-"
                + old
                + "\",\"message\":\"<Bundle/> "
                + old
                + "\"")
        .doesNotContain(recent);
  }

  private static void threadMessage(
      JdbcClient jdbc, String header, String direction, String entry, OffsetDateTime at) {
    jdbc.sql(
            """
            INSERT INTO thread_message (message_header_id, thread_id, direction, journal_entry_id, recorded_at, message)
            VALUES (:h, :t, :d, :e, :at, :m)""")
        .param("h", header)
        .param("t", "thread-" + header)
        .param("d", direction)
        .param("e", entry)
        .param("at", at)
        .param("m", "message " + header)
        .update();
  }

  private static String planDocument(
      JdbcClient jdbc, String entry, int version, String replaces, OffsetDateTime at) {
    String id = UUID.randomUUID().toString();
    jdbc.sql(
            """
            INSERT INTO plan_document (id, journal_id, source, plan_number, plan_kind, plan_version, plan_date,
              composition_identifier, replaces_id, created_at, bundle_json, pdf)
            VALUES (:id, :j, 'nordby-planer', 'KIP-1', 'KIP', :v, :date, :c, :r, :at, :b, :pdf)""")
        .param("id", id)
        .param("j", entry)
        .param("v", version)
        .param("date", at.toLocalDate())
        .param("c", "urn:uuid:" + id)
        .param("r", replaces)
        .param("at", at)
        .param("b", "bundle " + entry)
        .param("pdf", ("%PDF " + entry).getBytes(StandardCharsets.UTF_8))
        .update();
    return id;
  }

  private static void inbound(JdbcClient jdbc, String id, String handover, OffsetDateTime at) {
    jdbc.sql(
            """
            INSERT INTO inbound_message (id, received_at, channel, bundle_id, message_header_id, response_code,
              ack_message_header_id, ack_message, duplicates, handover_status, citizen_cpr, kept_message)
            VALUES (:id, :at, 'FILE', :id, :id, 'ok', :id, :ack, 0, :status, :cpr, :kept)""")
        .param("id", id)
        .param("at", at)
        .param("ack", "ack " + id)
        .param("status", handover)
        .param("cpr", handover.equals("KEPT") ? "0101485555" : null)
        .param("kept", handover.equals("KEPT") ? "kept message " + id : null)
        .update();
  }

  /**
   * Audit records name the citizen whose data a person opened (citizen_cpr): kept 5 years by
   * default, then deleted in batches, archived first, and the deletion itself audited without the
   * citizen; a younger record stays. A period under a year is refused at start.
   */
  @Test
  void auditRecordsOlderThanTheAuditLogPeriod_areArchivedAndDeleted_youngerOnesStay()
      throws Exception {
    DataSource dataSource = emptyTables();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    OffsetDateTime now = OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC);
    for (int i = 0; i < 3; i++) {
      auditRecord(jdbc, now.minusDays(1826 + i), "0101485555");
    }
    auditRecord(jdbc, now.minusDays(1824), "0202485555");
    Archive archive = archive("archive", false);

    runUntilNothingIsDue(service(dataSource, 2, archive, new RetentionProperties.Rule(null, null)));

    assertThat(
            jdbc.sql("SELECT citizen_cpr FROM admin_audit WHERE citizen_cpr IS NOT NULL")
                .query(String.class)
                .list())
        .containsExactly("0202485555");
    List<String> batches =
        jdbc.sql(
                "SELECT detail FROM admin_audit WHERE action = 'RETENTION_DELETE_HISTORY'"
                    + " AND target = 'ADMIN_AUDIT' AND actor = 'system:retention' ORDER BY id")
            .query(String.class)
            .list();
    assertThat(batches).hasSize(2);
    assertThat(String.join("", batches)).doesNotContain("0101485555");
    assertThat(archive.decrypted()).contains("0101485555").doesNotContain("0202485555");

    assertThatThrownBy(
            () ->
                new RetentionProperties(
                    true,
                    Map.of(),
                    LocalTime.of(1, 0),
                    LocalTime.of(5, 0),
                    100,
                    Duration.ofSeconds(10),
                    new RetentionProperties.Archive(null, null),
                    null,
                    Duration.ofDays(30)))
        .hasMessageContaining("gateway.retention.audit-log: at least 365 days");
  }

  private static void auditRecord(JdbcClient jdbc, OffsetDateTime at, String cpr) {
    jdbc.sql(
            """
            INSERT INTO admin_audit (occurred_at, actor, action, target, citizen_cpr)
            VALUES (:at, 'operator', 'VIEW_PERSONAL_DATA', 'consents', :cpr)""")
        .param("at", at)
        .param("cpr", cpr)
        .update();
  }

  @Test
  void heldFailedAndInFlightStatesCannotBeGivenARule() {
    for (MessageState state :
        List.of(
            MessageState.FAILED,
            MessageState.HELD_CONSENT,
            MessageState.HELD_ADDRESS,
            MessageState.RETRYING,
            MessageState.SENT,
            MessageState.RECEIVED)) {
      assertThatThrownBy(
              () ->
                  properties(
                      Map.of(
                          state,
                          new RetentionProperties.Rule(Duration.ofDays(1), Duration.ofDays(2))),
                      LocalTime.of(1, 0),
                      LocalTime.of(5, 0),
                      10,
                      new RetentionProperties.Archive(null, null),
                      null))
          .hasMessageContaining("gateway.retention.states." + state)
          .hasMessageContaining("never pruned");
    }
  }

  @Test
  void passesRunOnlyInsideTheOffPeakWindow() {
    RetentionProperties night = window(LocalTime.of(23, 0), LocalTime.of(2, 0));
    assertThat(night.inWindow(LocalTime.of(23, 30))).isTrue();
    assertThat(night.inWindow(LocalTime.of(1, 59))).isTrue();
    assertThat(night.inWindow(LocalTime.of(2, 0))).isFalse();
    assertThat(night.inWindow(LocalTime.of(12, 0))).isFalse();
    RetentionProperties early = window(LocalTime.of(1, 0), LocalTime.of(5, 0));
    assertThat(early.inWindow(LocalTime.of(0, 59))).isFalse();
    assertThat(early.inWindow(LocalTime.of(1, 0))).isTrue();
  }

  /** Only the window set: no rules, no archive. */
  private static RetentionProperties window(LocalTime start, LocalTime end) {
    return properties(Map.of(), start, end, 10, new RetentionProperties.Archive(null, null), null);
  }

  /** Enabled, a pass every 10 seconds. */
  private static RetentionProperties properties(
      Map<MessageState, RetentionProperties.Rule> states,
      LocalTime windowStart,
      LocalTime windowEnd,
      int batchSize,
      RetentionProperties.Archive archive,
      RetentionProperties.Rule inbound) {
    return new RetentionProperties(
        true,
        states,
        windowStart,
        windowEnd,
        batchSize,
        Duration.ofSeconds(10),
        archive,
        inbound,
        Duration.ofDays(1825));
  }

  /**
   * An encrypted archive folder under the test's temporary folder, with a new random key written to
   * a key file as Base64 text or as raw bytes.
   */
  private Archive archive(String folder, boolean base64Key) throws Exception {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path keyFile =
        base64Key
            ? Files.writeString(
                temp.resolve("archive.key"), Base64.getEncoder().encodeToString(key))
            : Files.write(temp.resolve("archive.key"), key);
    return new Archive(temp.resolve(folder), keyFile, key);
  }

  private record Archive(Path dir, Path keyFile, byte[] key) {

    RetentionProperties.Archive properties() {
      return new RetentionProperties.Archive(dir, keyFile);
    }

    /** The archive files retention wrote, oldest first. */
    List<Path> files() throws Exception {
      try (Stream<Path> files = Files.list(dir)) {
        return files.sorted().toList();
      }
    }

    /** Every archive file decrypted, one after another. */
    String decrypted() throws Exception {
      return String.join("", files().stream().map(f -> read(f, key)).toList());
    }
  }

  /**
   * ACKNOWLEDGED entries lose their content after 90 days and their history after 5 years, in
   * batches of {@code batchSize}, archived; {@code inbound}: the rule for received messages.
   */
  private RetentionService service(
      DataSource dataSource, int batchSize, Archive archive, RetentionProperties.Rule inbound) {
    RetentionProperties properties =
        properties(
            Map.of(MessageState.ACKNOWLEDGED, ACKNOWLEDGED_RULE),
            LocalTime.of(1, 0),
            LocalTime.of(5, 0),
            batchSize,
            archive.properties(),
            inbound);
    JdbcClient jdbc = JdbcClient.create(dataSource);
    return new RetentionService(
        new RetentionRepository(jdbc),
        new AuditLog(jdbc, CLOCK),
        properties,
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
        new ObjectMapper(),
        CLOCK);
  }

  private static void runUntilNothingIsDue(RetentionService retention) {
    while (!retention.runOnce().equals(new RetentionService.Pass(0, 0))) {
      // batches until nothing is due
    }
  }

  /** The class's database (migrated once), its tables emptied of the previous test's rows. */
  private static DataSource emptyTables() {
    if (postgres == null) {
      postgres = MigratedPostgres.start();
    }
    JdbcClient.create(postgres.getPostgresDatabase())
        .sql(
            "TRUNCATE outbound_message, journal_event, journal_entry, admin_audit, thread_message, document_delivery,"
                + " plan_document, inbound_message CASCADE")
        .update();
    return postgres.getPostgresDatabase();
  }

  private static String insert(JdbcClient jdbc, MessageState state, Duration age) {
    String id = UUID.randomUUID().toString();
    OffsetDateTime at = OffsetDateTime.ofInstant(NOW.minus(age), ZoneOffset.UTC);
    jdbc.sql(
            """
            INSERT INTO journal_entry (id, source, idempotency_key, content_hash, channel, payload, payload_size,
                                       received_at, updated_at, state, canonical_record, fhir_message)
            VALUES (:id, 'nordby-socialpsykiatri', :id, 'hash', 'FILE', :payload, 10, :at, :at, :state,
                    :canonical, :message)""")
        .param("id", id)
        .param("payload", ("payload " + id).getBytes(StandardCharsets.UTF_8))
        .param("at", at)
        .param("state", state.name())
        .param("canonical", "canonical " + id)
        .param("message", "<Bundle/> " + id)
        .update();
    jdbc.sql(
            """
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason)
            VALUES (:id, :at, :state, 'test', 'reached its state')""")
        .param("id", id)
        .param("at", at)
        .param("state", state.name())
        .update();
    return id;
  }

  private static int events(JdbcClient jdbc, String id) {
    return jdbc.sql("SELECT COUNT(*) FROM journal_event WHERE entry_id = :id")
        .param("id", id)
        .query(Integer.class)
        .single();
  }

  private static List<Object> content(JdbcClient jdbc, String id) {
    return jdbc.sql(
            "SELECT payload, canonical_record, fhir_message FROM journal_entry WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> Arrays.<Object>asList(rs.getBytes(1), rs.getString(2), rs.getString(3)))
        .single();
  }

  private static String read(Path file, byte[] key) {
    try {
      return RetentionArchive.read(file, key);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
