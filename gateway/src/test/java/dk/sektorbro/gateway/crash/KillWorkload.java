package dk.sektorbro.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The records a kill test submits, by REST and by file drop, while nodes are killed; and the checks
 * afterwards, made on the journal's database and on the postbox folders themselves.
 */
final class KillWorkload {

  static final String SOURCE = "nordby-socialpsykiatri";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> UNFINISHED =
      List.of("RECEIVED", "TRANSLATED", "VALIDATED", "RETRYING");

  private final String runId;
  private final List<byte[]> samples;
  private final List<String> sampleIds;

  /**
   * Record id to journal id, for every REST submission answered 202 (or 200, a duplicate of one).
   */
  final Map<String, String> accepted = new ConcurrentHashMap<>();

  /** Record ids of files completely dropped into an inbox. */
  final Set<String> dropped = ConcurrentHashMap.newKeySet();

  volatile int restRetries;

  KillWorkload(String runId) {
    this.runId = runId;
    this.samples = new ArrayList<>();
    this.sampleIds = new ArrayList<>();
    for (Path sample : TestFiles.validSamples(SOURCE)) {
      String text = new String(TestFiles.read(sample), StandardCharsets.UTF_8);
      this.samples.add(text.getBytes(StandardCharsets.UTF_8));
      this.sampleIds.add(JSON_ID.apply(text));
    }
  }

  private static final Function<String, String> JSON_ID =
      text -> {
        try {
          return JSON.readTree(text).get("journalpostId").asText();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };

  String recordId(String channel, int n) {
    return "KILL-" + runId + "-" + channel + "-" + n;
  }

  byte[] record(String recordId, int n) {
    int which = n % samples.size();
    String text =
        new String(samples.get(which), StandardCharsets.UTF_8)
            .replace(sampleIds.get(which), recordId);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Submits records {@code from..to-1} through REST on whatever node {@code nodes} gives, retrying
   * the same record after a refused connection or a 5xx until it is answered 202.
   */
  void submitRest(int from, int to, Supplier<GatewayClient> nodes) {
    for (int n = from; n < to; n++) {
      String recordId = recordId("rest", n);
      byte[] body = record(recordId, n);
      while (true) {
        try {
          GatewayClient.Response response =
              nodes.get().post("/api/v1/records/" + SOURCE, "application/json", body);
          // 200 with duplicate=true: an earlier try was journaled but its 202 was lost in the kill.
          if (response.status() == 202 || response.status() == 200) {
            accepted.put(recordId, response.json().get("id").asText());
            break;
          }
          assertThat(response.status())
              .as("answer to %s: %s", recordId, response.body())
              .isGreaterThanOrEqualTo(500);
        } catch (UncheckedIOException | IllegalStateException nodeDown) {
          // killed or restarting: the same record again, as a client must
        }
        restRetries++;
        GatewayProcess.sleep(100);
      }
    }
  }

  /**
   * Drops records {@code from..to-1} into the inbox of {@code dataDir}, written under a temp name
   * and renamed.
   */
  void dropFiles(Path inboxRoot, int from, int to, long pauseMillis) {
    try {
      Path inbox = Files.createDirectories(inboxRoot.resolve(SOURCE));
      for (int n = from; n < to; n++) {
        String recordId = recordId("file", n);
        Path temp = inbox.resolve(recordId + ".json.part");
        Files.write(temp, record(recordId, n));
        Files.move(temp, inbox.resolve(recordId + ".json"));
        dropped.add(recordId);
        GatewayProcess.sleep(pauseMillis);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the inboxes are empty and no entry of this run is unfinished. */
  void awaitSettled(String jdbcUrl, Path inboxRoot, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (inboxEmpty(inboxRoot)
          && count(jdbcUrl, "state IN ('" + String.join("','", UNFINISHED) + "')") == 0
          && count(jdbcUrl, "true") == accepted.size() + dropped.size()) {
        return;
      }
      GatewayProcess.sleep(500);
    }
    throw new AssertionError(
        "not settled within "
            + timeout
            + ": states "
            + states(jdbcUrl)
            + ", inbox empty "
            + inboxEmpty(inboxRoot)
            + ", expected entries "
            + (accepted.size() + dropped.size()));
  }

  /** One line per journal event of an entry: when, stage, state and reason. */
  static String history(String jdbcUrl, String entryId) {
    StringBuilder lines = new StringBuilder();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        PreparedStatement attempts =
            c.prepareStatement(
                "SELECT attempt_stage, attempts, owner_node FROM journal_entry WHERE id = ?");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT occurred_at, stage, state, reason FROM journal_event"
                    + " WHERE entry_id = ? ORDER BY id")) {
      attempts.setString(1, entryId);
      try (ResultSet rs = attempts.executeQuery()) {
        while (rs.next()) {
          lines.append(
              String.format(
                  "  attempt stage %s, attempts %d, owner %s%n",
                  rs.getString(1), rs.getInt(2), rs.getString(3)));
        }
      }
      s.setString(1, entryId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.append(
              String.format(
                  "  %s %s %s %s%n",
                  rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
    } catch (SQLException e) {
      lines.append("  (history unreadable: ").append(e.getMessage()).append(')');
    }
    return lines.toString();
  }

  /**
   * Every record answered 202 or dropped is journaled once and SENT; every SENT message is in its
   * postbox exactly once under its MessageHeader.id (a re-delivery replaces the file), and the
   * postboxes hold nothing else.
   */
  Outcome verify(String jdbcUrl, Path outboxRoot) throws Exception {
    Map<String, String[]> journal =
        new HashMap<>(); // record id -> {journal id, state, message header id}
    Map<String, Integer> sentEvents = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT source_record_id, id, state, message_header_id FROM journal_entry"
                  + " WHERE source_record_id LIKE 'KILL-"
                  + runId
                  + "-%'")) {
        while (rs.next()) {
          String[] previous =
              journal.put(
                  rs.getString(1),
                  new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
          assertThat(previous).as("record %s journaled twice", rs.getString(1)).isNull();
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT entry_id, COUNT(*) FROM journal_event WHERE state = 'SENT'"
                  + " GROUP BY entry_id")) {
        while (rs.next()) {
          sentEvents.put(rs.getString(1), rs.getInt(2));
        }
      }
    }
    accepted.forEach(
        (recordId, journalId) -> {
          assertThat(journal)
              .as(
                  "record %s was answered 202 (id %s) but is not in the journal",
                  recordId, journalId)
              .containsKey(recordId);
          assertThat(journal.get(recordId)[0])
              .as("journal id of %s", recordId)
              .isEqualTo(journalId);
        });
    for (String recordId : dropped) {
      assertThat(journal)
          .as("dropped file %s is not in the journal", recordId)
          .containsKey(recordId);
    }
    assertThat(journal).hasSize(accepted.size() + dropped.size());
    // Every entry that did not end SENT, with its path (stages, states, reasons: no personal
    // data), so one failed run says why.
    List<String> notSent = new ArrayList<>();
    journal.forEach(
        (recordId, row) -> {
          if (!"SENT".equals(row[1])) {
            notSent.add(
                String.format(
                    "%s (%s) is %s:%n%s", recordId, row[0], row[1], history(jdbcUrl, row[0])));
          }
        });
    assertThat(notSent).as("entries not SENT").isEmpty();
    Map<String, String> headerOfEntry = new HashMap<>();
    journal.forEach(
        (recordId, row) -> {
          assertThat(sentEvents.get(row[0])).as("SENT events of %s", recordId).isEqualTo(1);
          headerOfEntry.put(row[0], row[2]);
        });
    Map<String, List<byte[]>> postbox = postboxByHeader(outboxRoot);
    assertThat(postbox.keySet())
        .as("MessageHeader ids in the postboxes")
        .containsExactlyInAnyOrderElementsOf(headerOfEntry.values());
    int identicalTwice = 0;
    for (Map.Entry<String, List<byte[]>> files : postbox.entrySet()) {
      List<byte[]> copies = files.getValue();
      for (byte[] copy : copies) {
        assertThat(Arrays.equals(copy, copies.get(0)))
            .as("copies of MessageHeader %s differ", files.getKey())
            .isTrue();
      }
      identicalTwice += copies.size() - 1;
    }
    return new Outcome(
        journal.size(), accepted.size(), dropped.size(), identicalTwice, restRetries);
  }

  record Outcome(int journaled, int rest, int files, int identicalCopies, int restRetries) {}

  static Map<String, Integer> states(String jdbcUrl) throws SQLException {
    Map<String, Integer> states = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM journal_entry GROUP BY state")) {
      while (rs.next()) {
        states.put(rs.getString(1), rs.getInt(2));
      }
    }
    return states;
  }

  static long count(String jdbcUrl, String where) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM journal_entry WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Postbox files by name only: the gateway renames temp files while this counts, so no file is
   * stat'ed.
   */
  static long postboxFiles(Path outboxRoot) throws IOException {
    if (!Files.exists(outboxRoot)) {
      return 0;
    }
    long count = 0;
    try (Stream<Path> postboxes = Files.list(outboxRoot)) {
      for (Path postbox : postboxes.toList()) {
        try (Stream<Path> files = Files.list(postbox)) {
          count += files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
        }
      }
    }
    return count;
  }

  // Hidden files are a writer's temp files (a kill can leave one); postbox readers skip them.
  private static Map<String, List<byte[]>> postboxByHeader(Path outboxRoot) throws IOException {
    Map<String, List<byte[]>> byHeader = new HashMap<>();
    if (!Files.exists(outboxRoot)) {
      return byHeader;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(outboxRoot)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .toList();
    }
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      JsonNode header = JSON.readTree(bytes).get("entry").get(0).get("resource");
      assertThat(header.get("resourceType").asText())
          .as("first entry of %s", file)
          .isEqualTo("MessageHeader");
      byHeader.computeIfAbsent(header.get("id").asText(), k -> new ArrayList<>()).add(bytes);
    }
    return byHeader;
  }

  private static boolean inboxEmpty(Path inboxRoot) throws IOException {
    Path inbox = inboxRoot.resolve(SOURCE);
    if (!Files.exists(inbox)) {
      return true;
    }
    try (Stream<Path> files = Files.list(inbox)) {
      return files.noneMatch(Files::isRegularFile);
    }
  }
}
