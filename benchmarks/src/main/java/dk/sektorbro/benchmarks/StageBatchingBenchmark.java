package dk.sektorbro.benchmarks;

import dk.sektorbro.gateway.database.EmbeddedDatabaseProperties;
import dk.sektorbro.gateway.database.EmbeddedPostgresServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.springframework.util.FileSystemUtils;

/**
 * What batching several messages into one statement per stage step would save, measured before
 * anyone rebuilds the stages around it (issue 14). Runs one stage's journal work, the start count
 * (which also reads the entry the stage works on) and the move with its event, on entries of the
 * size the pipeline writes, against the gateway's own embedded server (its durability settings) and
 * schema: once per message as the stages do today, and for groups of K messages with one statement
 * per step. Relaxed moves are what gates, translate and validate commit; {@code --sync} commits
 * each move (or group) to disk, as the deliver stage must before a message leaves.
 *
 * <p>Reports the server's CPU per message (its backend and background processes, from /proc), the
 * client thread's CPU and the write-ahead log per message. The statements are written out here, not
 * called through the journal: there is no batched form in the gateway to call.
 *
 * <pre>
 * java -Dloader.main=dk.sektorbro.benchmarks.StageBatchingBenchmark -cp benchmarks/target/sektorbro-benchmarks.jar \
 *   org.springframework.boot.loader.launch.PropertiesLauncher --records=4000 --groups=1,4,16,64 [--sync]
 * </pre>
 */
public final class StageBatchingBenchmark {

  private static final String RELAXED =
      " AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'";
  private static final String RETURNED =
      "id, source, source_record_id, content_hash, channel, original_name, content_type,"
          + " payload_size, archive_path, received_at, updated_at, state, state_reason, message_type,"
          + " message_header_id, bundle_id, fhir_format, recipient_sor, recipient_gln, recipient_name,"
          + " outbox_path, canonical_record, fhir_message";

  private StageBatchingBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int records = Integer.parseInt(options.getOrDefault("records", "4000"));
    List<Integer> groups =
        List.of(options.getOrDefault("groups", "1,4,16,64").split(",")).stream()
            .map(Integer::parseInt)
            .toList();
    boolean sync = options.containsKey("sync");
    Path data = Files.createTempDirectory("sektorbro-batching-");
    try (EmbeddedPostgresServer server =
        EmbeddedPostgresServer.start(
            data, new EmbeddedDatabaseProperties(0, Duration.ofSeconds(120)))) {
      Flyway.configure()
          .dataSource(server.jdbcUrl(), EmbeddedPostgresServer.USER, "")
          .locations("classpath:db/migration")
          .load()
          .migrate();
      Path pgData = data.resolve("db/postgres");
      System.out.printf(
          "stage batching: %d messages per run, moves %s, 2 cores, data %s%n",
          records,
          sync ? "committed to disk (deliver)" : "relaxed (gates, translate, validate)",
          data);
      System.out.println(
          "group  server CPU/msg  client CPU/msg  wall/msg  statements/msg  WAL/msg");
      try (Connection c =
          DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "")) {
        // A warm-up round first: the server prepares the statements after five executions and
        // its caches fill; the measured rounds follow, each group size twice.
        run(c, pgData, records, 1, sync, false);
        for (int round = 0; round < 2; round++) {
          for (int group : groups) {
            run(c, pgData, records, group, sync, true);
          }
        }
      }
    } finally {
      FileSystemUtils.deleteRecursively(data);
    }
  }

  private static void run(
      Connection c, Path pgData, int records, int group, boolean sync, boolean print)
      throws SQLException {
    List<String> ids = seed(c, records);
    c.setAutoCommit(true);
    long walBefore = walBytes(c);
    double serverBefore = PostgresStats.cpuMillis(pgData);
    long clientBefore = threadCpuNanos();
    long wallBefore = System.nanoTime();
    int statements = 0;
    for (int from = 0; from < ids.size(); from += group) {
      List<String> some = ids.subList(from, Math.min(ids.size(), from + group));
      statements += group == 1 ? one(c, some.get(0), sync) : many(c, some, sync);
    }
    long wall = System.nanoTime() - wallBefore;
    long client = threadCpuNanos() - clientBefore;
    double server = PostgresStats.cpuMillis(pgData) - serverBefore;
    long wal = walBytes(c) - walBefore;
    if (print) {
      System.out.printf(
          "%5d  %11.3f ms  %11.3f ms  %6.3f ms  %14.2f  %5.1f KB%n",
          group,
          server / records,
          client / 1e6 / records,
          wall / 1e6 / records,
          (double) statements / records,
          wal / 1024.0 / records);
    }
  }

  /** The stage's two statements for one message, as the journal sends them. */
  private static int one(Connection c, String id, boolean sync) throws SQLException {
    try (PreparedStatement count = c.prepareStatement(countStatement("id = ?"))) {
      count.setString(1, id);
      readAll(count);
    }
    try (PreparedStatement move =
        c.prepareStatement(
            "WITH moved AS (UPDATE journal_entry SET state = ?, state_reason = ?, updated_at = ?,"
                + " attempts = 0, attempt_stage = NULL, owner_node = ? WHERE id = ? AND state IN (?)"
                + (sync ? "" : RELAXED)
                + " RETURNING id) INSERT INTO journal_event (entry_id, occurred_at, state, stage,"
                + " reason, detail) SELECT id, ?, ?, ?, ?, ? FROM moved")) {
      OffsetDateTime now = OffsetDateTime.now();
      move.setString(1, "VALIDATED");
      move.setString(2, "valid against the MedCom chain");
      move.setObject(3, now);
      move.setString(4, "node-1");
      move.setString(5, id);
      move.setString(6, "TRANSLATED");
      move.setObject(7, now);
      move.setString(8, "VALIDATED");
      move.setString(9, "validate");
      move.setString(10, "valid against the MedCom chain");
      move.setString(11, null);
      move.executeUpdate();
    }
    return 2;
  }

  /**
   * The same work for a group: one start count for all (each row read back), one move of all with
   * their events, each row with its own values (unnest), as a batched stage would write outcomes
   * that differ per message.
   */
  private static int many(Connection c, List<String> ids, boolean sync) throws SQLException {
    Array idArray = c.createArrayOf("varchar", ids.toArray());
    try (PreparedStatement count = c.prepareStatement(countStatement("id = ANY(?)"))) {
      count.setArray(1, idArray);
      readAll(count);
    }
    String[] states = new String[ids.size()];
    String[] reasons = new String[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      states[i] = "VALIDATED";
      reasons[i] = "valid against the MedCom chain";
    }
    try (PreparedStatement move =
        c.prepareStatement(
            "WITH v AS (SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[])"
                + " AS v(id, state, reason)), moved AS (UPDATE journal_entry e SET state = v.state,"
                + " state_reason = v.reason, updated_at = ?, attempts = 0, attempt_stage = NULL,"
                + " owner_node = ? FROM v WHERE e.id = v.id AND e.state IN ('TRANSLATED')"
                + (sync ? "" : RELAXED)
                + " RETURNING e.id, v.state, v.reason) INSERT INTO journal_event (entry_id,"
                + " occurred_at, state, stage, reason, detail) SELECT id, ?, state, 'validate',"
                + " reason, NULL FROM moved")) {
      OffsetDateTime now = OffsetDateTime.now();
      move.setArray(1, idArray);
      move.setArray(2, c.createArrayOf("varchar", states));
      move.setArray(3, c.createArrayOf("varchar", reasons));
      move.setObject(4, now);
      move.setString(5, "node-1");
      move.setObject(6, now);
      move.executeUpdate();
    }
    return 2;
  }

  /**
   * The validate stage's start count (JournalRepository#countAttempt) of the entries {@code ids}
   * selects, with each entry read back.
   */
  private static String countStatement(String ids) {
    return "UPDATE journal_entry SET attempts = CASE WHEN attempt_stage = 'validate' THEN attempts + 1"
        + " WHEN attempt_stage IN ('deliver') THEN attempts ELSE 1 END,"
        + " attempt_stage = CASE WHEN attempt_stage IN ('deliver') THEN attempt_stage"
        + " ELSE 'validate' END WHERE "
        + ids
        + " AND state IN ('TRANSLATED')"
        + RELAXED
        + " RETURNING CASE WHEN attempt_stage = 'validate' THEN attempts ELSE 0 END AS started, "
        + RETURNED;
  }

  private static void readAll(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          rs.getString(i);
        }
      }
    }
  }

  /** Entries as translate leaves them: a canonical record and a MedCom message of ~17.5 KB. */
  private static List<String> seed(Connection c, int records) throws SQLException {
    Random random = new Random(records);
    List<String> ids = new ArrayList<>();
    c.setAutoCommit(false);
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO journal_entry (id, source, source_record_id, idempotency_key, content_hash,"
                + " channel, original_name, content_type, payload, payload_size, received_at,"
                + " updated_at, state, canonical_record, citizen_cpr, owner_node, message_type,"
                + " message_header_id, bundle_id, fhir_format, fhir_message) VALUES (?, 'bench', ?,"
                + " ?, 'hash', 'FILE', 'r.json', 'application/json', ?, 1200, now(), now(),"
                + " 'TRANSLATED', ?, '0101401234', 'node-1', 'CareCommunication', ?, ?, 'XML', ?)")) {
      for (int i = 0; i < records; i++) {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        insert.setString(1, id);
        insert.setString(2, id);
        insert.setString(3, id);
        insert.setBytes(4, text(random, 1_200).getBytes(StandardCharsets.UTF_8));
        insert.setString(5, text(random, 2_500));
        insert.setString(6, UUID.randomUUID().toString());
        insert.setString(7, UUID.randomUUID().toString());
        insert.setString(8, text(random, 17_500));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    c.commit();
    try (Statement s = c.createStatement()) {
      // As autovacuum would have by then: without statistics the group's start count chose the
      // state index (thousands of TRANSLATED rows) over the primary key.
      s.execute("ANALYZE journal_entry");
      s.execute("CHECKPOINT");
    }
    c.commit();
    return ids;
  }

  // Letters and spaces at random: the journal stores the message uncompressed (V35), so only its
  // length matters.
  private static String text(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(i % 9 == 8 ? ' ' : (char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  private static long walBytes(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@code --name=value} and {@code --flag} arguments. */
  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      String[] pair = arg.replaceFirst("^--", "").split("=", 2);
      options.put(pair[0], pair.length == 2 ? pair[1] : "");
    }
    return options;
  }

  private static long threadCpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
