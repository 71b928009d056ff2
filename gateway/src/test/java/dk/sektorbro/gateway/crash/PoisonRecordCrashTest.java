package dk.sektorbro.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that really kills the gateway: accepted (202), then its message runs the JVM out of
 * memory in the pipeline, and {@code -XX:+ExitOnOutOfMemoryError} ends the process, as the shipped
 * start script does. The test is the supervisor: it restarts the gateway each time it died. After
 * {@code max-attempts} (2 here) deaths the next start sets the record aside as QUARANTINED instead
 * of dying again, the gateway stays up and healthy, and the records that arrived before, between
 * and after the crashes are all delivered. No fault is injected: the heap is small and the mapping
 * lets an attachment through that is far too large for it.
 */
@Tag("integration")
@Execution(ExecutionMode.CONCURRENT)
class PoisonRecordCrashTest {

  private static final Logger log = LoggerFactory.getLogger(PoisonRecordCrashTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = KillWorkload.SOURCE;
  private static final int MAX_ATTEMPTS = 1;
  // Generous, as in ClusterKillTest: in verify the kill tests run side by side, their gateways
  // starting at the same time on 2 cores.
  private static final Duration START = Duration.ofMinutes(Long.getLong("kill.start.minutes", 10));
  // A start's first record is delivered once the validator's warm-up is over, and the poison record
  // kills the JVM once its 8 MB message is translated and in validation: seconds on an idle
  // machine, but on the shared one 60 s were not enough for the first record at load 30 (it failed
  // as TRANSLATED, not SENT), nor 90 s for the death at load 50. Deadlines, not pauses: the waits
  // return as soon as it happened.
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  /** The JVM exit code of -XX:+ExitOnOutOfMemoryError. */
  private static final int OUT_OF_MEMORY_EXIT = 3;

  /** How often the waits read the child's database. */
  private static final Duration LOOK_AGAIN = Duration.ofMillis(200);

  @TempDir Path root;

  @Test
  void recordThatRunsTheJvmOutOfMemory_isQuarantinedAfterRestarts_andTheOthersAreDelivered()
      throws Exception {
    long started = System.nanoTime();
    Path dataDir = root.resolve("data");
    int dbPort = GatewayProcess.freePort();
    String jdbcUrl = "jdbc:postgresql://localhost:" + dbPort + "/sektorbro";
    Path logs =
        Path.of("target", "kill-test-logs", "poison-" + System.currentTimeMillis())
            .toAbsolutePath();
    GatewayProcess node =
        new GatewayProcess(
                "poison",
                dataDir,
                GatewayProcess.freePort(),
                logs,
                List.of(
                    "--gateway.database.embedded.port=" + dbPort,
                    "--gateway.pipeline.max-attempts=" + MAX_ATTEMPTS))
            .jvmOptions("-Xmx320m", "-XX:+ExitOnOutOfMemoryError")
            .mappings(mappingsAllowingHugeAttachments())
            .withoutOfficialPackages();
    try {
      node.start(START);
      SampleConsents.recordAll(node.admin());
      KillWorkload work = new KillWorkload(Long.toString(System.nanoTime(), 36));

      // Before the poison: an ordinary record, delivered.
      String before = submit(node, work.record(work.recordId("rest", 0), 0));
      awaitState(jdbcUrl, before, "SENT", DEADLINE);

      String poison = submit(node, poison(work));
      log.info("poison record accepted id={} after {} s", poison, seconds(started));

      // The supervisor's loop: each death is waited for, a record is dropped while the gateway is
      // down, and the gateway is started again on the same data folder.
      int deaths = 0;
      List<String> droppedWhileDown = new ArrayList<>();
      boolean up = false;
      while (!up) {
        int code = node.awaitExit(DEADLINE);
        deaths++;
        assertThat(code)
            .as("exit code of death %d (see %s)", deaths, node.log())
            .isEqualTo(OUT_OF_MEMORY_EXIT);
        assertThat(deaths)
            .as("deaths before the poison record is quarantined")
            .isLessThanOrEqualTo(MAX_ATTEMPTS);
        log.info(
            "death {} (out of memory) after {} s; states {}",
            deaths,
            seconds(started),
            KillWorkload.states(jdbcUrl));
        String recordId = work.recordId("file", deaths);
        droppedWhileDown.add(recordId);
        Path inbox = Files.createDirectories(dataDir.resolve("inbox").resolve(SOURCE));
        Files.write(inbox.resolve(recordId + ".json"), work.record(recordId, deaths));
        node.launch();
        up = node.awaitUpOrExit(START) && stillUpAfterRecovery(node, jdbcUrl, poison);
      }
      assertThat(deaths)
          .as("the gateway died once per allowed attempt, then no more")
          .isEqualTo(MAX_ATTEMPTS);
      assertThat(Files.readString(node.log())).contains("java.lang.OutOfMemoryError");

      // Read from the database, not the API: the API's message detail loads the whole entry, and
      // with the poison's 8 MB (twice: record and translated message) at this 320 MB heap, while
      // the restarted validator still warms up, that load ran the gateway out of memory once in
      // .ci/run (a limit written down in docs/limits.md, not what this test is about).
      assertThat(state(jdbcUrl, poison)).isEqualTo("QUARANTINED");
      assertThat(column(jdbcUrl, "state_reason", poison))
          .startsWith("quarantined: stage ")
          .contains("was started " + MAX_ATTEMPTS + " times without the message moving on");
      assertThat(payloadSize(jdbcUrl, poison))
          .as("the poison record's original is kept")
          .isGreaterThan(8_000_000L);

      // After the poison: one more by REST; everything but the poison is delivered.
      String after = submit(node, work.record(work.recordId("rest", 1), 1));
      awaitState(jdbcUrl, after, "SENT", DEADLINE);
      for (String recordId : droppedWhileDown) {
        awaitRecordSent(jdbcUrl, recordId, DEADLINE);
      }
      assertThat(node.alive()).as("the gateway runs on without the poison record").isTrue();
      Response health = node.operator().get("/actuator/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().get("status").asText()).isEqualTo("UP");
      assertThat(
              health
                  .json()
                  .get("components")
                  .get("journal")
                  .get("details")
                  .get("quarantined")
                  .asInt())
          .isEqualTo(1);
      assertThat(KillWorkload.states(jdbcUrl))
          .containsEntry("QUARANTINED", 1)
          .containsEntry("SENT", 2 + MAX_ATTEMPTS)
          .hasSize(2);
      DatabaseIntegrity.assertIntact(jdbcUrl);

      // Records of 3, 9 and 10 MB of free text at this small heap: a clear answer, and still
      // healthy.
      for (int megabytes : new int[] {3, 9, 10}) {
        ObjectNode big =
            (ObjectNode) JSON.readTree(work.record(work.recordId("big", megabytes), 0));
        big.put("tekst", "x".repeat(megabytes * 1_000_000 - 2_000));
        Response refused =
            node.intake()
                .post("/api/v1/records/" + SOURCE, "application/json", JSON.writeValueAsBytes(big));
        assertThat(refused.status()).as("%d MB: %s", megabytes, refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("text").contains("max-length");
        assertThat(node.operator().get("/actuator/health").status())
            .as("health after %d MB", megabytes)
            .isEqualTo(200);
      }
      assertThat(node.alive()).isTrue();
      log.info("poison quarantined after {} deaths; test took {} s", deaths, seconds(started));

      assertThat(node.stop()).as("exit code after SIGTERM").isIn(0, 143);
    } finally {
      node.destroy();
    }
  }

  // Up, and recovery has handled the poison record without dying (it may die a moment after the API
  // answers): true once it is QUARANTINED, false once the gateway died. Recovery starts 3 s after
  // Camel (RecoveryRoute), so the wait ends with one of the two, not after a fixed time: within 60
  // s, as it was, a start slowed by the machine's load was still up and had not yet quarantined
  // it, the loop took that for a death and waited for an exit that never came. (Checked with the
  // restarted child held by SIGSTOP for 70 s from the moment its API answered, the poison record
  // still TRANSLATED: with the 60 s wait the test failed after 7.5 min, "poison still running
  // after PT5M"; now it passes, the record quarantined 18 s after the child went on.)
  private static boolean stillUpAfterRecovery(GatewayProcess node, String jdbcUrl, String poison)
      throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (node.alive()) {
      if ("QUARANTINED".equals(state(jdbcUrl, poison))) {
        return true;
      }
      assertThat(System.nanoTime())
          .as("the poison record neither QUARANTINED nor the gateway dead within %s", DEADLINE)
          .isLessThan(deadline);
      GatewayProcess.sleep(200);
    }
    return false;
  }

  private static byte[] poison(KillWorkload work) throws Exception {
    ObjectNode record = (ObjectNode) JSON.readTree(work.record(work.recordId("poison", 0), 2));
    // 6 MiB of file, 8 MiB of base64: under the 10 MB record limit, allowed by the mapping below,
    // far beyond what a message may cost in a 320 MB heap.
    String data = Base64.getEncoder().encodeToString(new byte[6 * 1024 * 1024]);
    record
        .putArray("bilag")
        .addObject()
        .put("filnavn", "scanning.pdf")
        .put("mimetype", "application/pdf")
        .put("indhold", data);
    return JSON.writeValueAsBytes(record);
  }

  private Path mappingsAllowingHugeAttachments() throws Exception {
    Path folder = Files.createDirectories(root.resolve("mappings"));
    try (Stream<Path> files = Files.list(TestFiles.MAPPINGS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        String text = Files.readString(file);
        if (file.getFileName().toString().equals(SOURCE + ".yaml")) {
          String raised =
              text.replace(
                  "data:        { path: indhold }",
                  "data:        { path: indhold, maxLength: 9000000 }");
          assertThat(raised).as("attachment data field of %s", file).isNotEqualTo(text);
          text = raised;
        }
        Files.writeString(folder.resolve(file.getFileName()), text);
      }
    }
    return folder;
  }

  private static String submit(GatewayProcess node, byte[] body) {
    Response response = node.intake().post("/api/v1/records/" + SOURCE, "application/json", body);
    assertThat(response.status()).as("answer: %s", response.body()).isEqualTo(202);
    return response.json().get("id").asText();
  }

  private static void awaitState(String jdbcUrl, String id, String wanted, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(LOOK_AGAIN)
        .untilAsserted(() -> assertThat(state(jdbcUrl, id)).as(id).isEqualTo(wanted));
  }

  private static void awaitRecordSent(String jdbcUrl, String recordId, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(LOOK_AGAIN)
        .untilAsserted(
            () ->
                assertThat(
                        KillWorkload.count(
                            jdbcUrl, "source_record_id = '" + recordId + "' AND state = 'SENT'"))
                    .as(
                        () ->
                            "record "
                                + recordId
                                + " dropped while the gateway was down is not SENT: "
                                + statesOrWhy(jdbcUrl))
                    .isEqualTo(1));
  }

  /** The journal's states for a failure message, or why they cannot be read. */
  private static String statesOrWhy(String jdbcUrl) {
    try {
      return KillWorkload.states(jdbcUrl).toString();
    } catch (Exception e) {
      return "(states not readable: " + e + ")";
    }
  }

  private static String state(String jdbcUrl, String id) throws Exception {
    return column(jdbcUrl, "state", id);
  }

  private static long payloadSize(String jdbcUrl, String id) throws Exception {
    return Long.parseLong(column(jdbcUrl, "octet_length(payload)", id));
  }

  private static String column(String jdbcUrl, String column, String id) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        PreparedStatement s =
            c.prepareStatement("SELECT " + column + " FROM journal_entry WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static long seconds(long since) {
    return Duration.ofNanos(System.nanoTime() - since).toSeconds();
  }
}
