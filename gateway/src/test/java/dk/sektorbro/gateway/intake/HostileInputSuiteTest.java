package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.ThreadMXBean;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The hostile corpus of issue 17 against one running gateway (one Spring context for the whole
 * suite): every case asserts the answer, the journal entry, that health is still UP afterwards, and
 * at the end that every submission is in the journal and a valid record still goes through.
 */
@TestMethodOrder(OrderAnnotation.class)
// Own properties (health threshold): no other class shares this application; closed after the
// class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HostileInputSuiteTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";
  private static final String XML_SOURCE = "nordby-hjemmepleje";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Every journal id a hostile submission was answered with: all must still be in the journal at
   * the end.
   */
  private static final List<String> JOURNALED = new ArrayList<>();

  @Autowired JdbcClient jdbc;
  @Autowired CamelContext camel;
  @Autowired Journal journal;

  @DynamicPropertySource
  static void suiteProperties(DynamicPropertyRegistry registry) {
    // Any quarantined message makes health DOWN here, so the quarantine case can show it.
    registry.add("gateway.pipeline.quarantine-down-above", () -> "0");
  }

  @Test
  @Order(1)
  void xmlAttacks_areRefusedAndJournaled() {
    SampleConsents.recordAll(adminClient());
    String xxe =
        """
        <?xml version="1.0"?><!DOCTYPE besked [<!ENTITY x SYSTEM "file:///etc/passwd">]><besked id="X1">&x;</besked>""";
    String laughs =
        """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><besked id="X2">&lol3;</besked>""";
    String doctype = "<?xml version=\"1.0\"?><!DOCTYPE besked><besked id=\"X3\"/>";
    for (String attack : List.of(xxe, laughs, doctype)) {
      refused(postXml(attack.getBytes(StandardCharsets.UTF_8)), 400, "DOCTYPE");
    }
    StringBuilder deep = new StringBuilder("<besked id=\"X4\">");
    deep.append("<a>".repeat(5000)).append("</a>".repeat(5000)).append("</besked>");
    refused(
        postXml(deep.toString().getBytes(StandardCharsets.UTF_8)),
        400,
        "nested deeper than 64 levels");
    assertHealthy();
  }

  @Test
  @Order(2)
  void jsonAttacks_getNamedReasons() throws Exception {
    refused(
        postJson("{\"a\": 1, \"a\": 2}".getBytes(StandardCharsets.UTF_8)),
        400,
        "the same key appears twice");
    String nested = "{\"a\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
    refused(postJson(nested.getBytes(StandardCharsets.UTF_8)), 400, "nested deeper than 64 levels");
    byte[] badUtf8 = record("BAD-UTF8", "tekst").getBytes(StandardCharsets.UTF_8);
    badUtf8[badUtf8.length - 5] = (byte) 0xC3; // a lead byte without its continuation
    refused(postJson(badUtf8), 400, "wrong encoding");
    byte[] utf16 = ("\ufeff" + record("UTF16", "tekst")).getBytes(StandardCharsets.UTF_16BE);
    refused(postJson(utf16), 400, "wrong encoding");
    byte[] rawNul =
        record("RAW-NUL", "før\u0000efter")
            .replace("\\u0000", "\u0000")
            .getBytes(StandardCharsets.UTF_8);
    refused(postJson(rawNul), 400, "malformed JSON");
    assertHealthy();
  }

  @Test
  @Order(3)
  void charactersXmlCannotCarry_refusedWithANamedRule_orNormalised() throws Exception {
    // As JSON escapes: a lone surrogate cannot even be written as UTF-8 bytes.
    String[] refusedChars = {"\\u0000", "\\u0001", "\\u001b", "\\ufffe", "\\ud800", "\\udc00"};
    for (int i = 0; i < refusedChars.length; i++) {
      Response response =
          postJson(
              record("CTRL-" + i, "Noten CHAR slut")
                  .replace("CHAR", refusedChars[i])
                  .getBytes(StandardCharsets.UTF_8));
      JsonNode entry = refused(response, 422, "xml-character");
      assertThat(response.json().get("issue").get(0).get("expression").get(0).asText())
          .isEqualTo("text");
      assertThat(entry.get("reason").asText())
          .contains("text")
          .contains("U+")
          .doesNotContain("Noten");
    }
    // Form feed and vertical tab, as pasted from a word processor, become line breaks and go
    // through.
    String id =
        submitJson(
            SOURCE, record("CTRL-FF", "Side 1\fSide 2\u000bslut").getBytes(StandardCharsets.UTF_8));
    JOURNALED.add(id);
    awaitState(id, "SENT");
    assertThat(journalEntry(id).get("canonicalRecord").get("text").asText())
        .isEqualTo("Side 1\nSide 2\nslut");
    assertHealthy();
  }

  @Test
  @Order(4)
  void scriptInText_isCarriedAsEscapedText() throws Exception {
    String id =
        submitJson(
            SOURCE,
            record("SCRIPT", "<script>alert('x')</script> & <img src=x onerror=y>")
                .getBytes(StandardCharsets.UTF_8));
    JOURNALED.add(id);
    awaitState(id, "SENT");
    String message = journalEntry(id).get("fhirMessage").asText();
    assertThat(message).doesNotContain("<script").doesNotContain("<img").contains("&lt;script");
    assertHealthy();
  }

  @Test
  @Order(5)
  void valuesTooLongForTheirColumns_areRefusedAndJournaledUnderAReference() throws Exception {
    String longId = "SP-" + "9".repeat(297);
    Response response = postJson(record(longId, "tekst").getBytes(StandardCharsets.UTF_8));
    JsonNode entry = refused(response, 422, "recordId");
    assertThat(response.json().get("issue").get(0).get("expression").get(0).asText())
        .isEqualTo("recordId");
    assertThat(entry.get("sourceRecordId").asText())
        .contains("…sha256:")
        .hasSizeLessThan(100)
        .doesNotContain("999999");

    String longSource = "s".repeat(150);
    JsonNode unknown =
        refused(
            intakeClient(longSource)
                .post(
                    "/api/v1/records/" + longSource,
                    "application/json",
                    record("LONG-SOURCE", "tekst").getBytes(StandardCharsets.UTF_8)),
            404,
            "unknown source");
    assertThat(unknown.get("source").asText()).hasSizeLessThanOrEqualTo(100).contains("…sha256:");

    JsonNode type =
        refused(
            intakeClient(SOURCE)
                .post(
                    "/api/v1/records/" + SOURCE,
                    "text/plain; x=" + "y".repeat(400),
                    record("LONG-TYPE", "tekst").getBytes(StandardCharsets.UTF_8)),
            415,
            "not accepted");
    assertThat(type.get("contentType").asText()).hasSizeLessThanOrEqualTo(200);
    assertHealthy();
  }

  @Test
  @Order(6)
  void wrongContentTypes_areRefusedAndJournaled() throws Exception {
    byte[] json = record("CT-1", "tekst").getBytes(StandardCharsets.UTF_8);
    refused(
        intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "text/plain", json),
        415,
        "not accepted");
    refused(
        intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "application/xml", json),
        415,
        "not accepted");
    refused(
        intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, null, json), 415, "not accepted");
    refused(
        intakeClient(XML_SOURCE)
            .post(
                "/api/v1/records/" + XML_SOURCE,
                "application/json",
                "<besked/>".getBytes(StandardCharsets.UTF_8)),
        415,
        "not accepted");
    assertHealthy();
  }

  @Test
  @Order(7)
  void identicalBytesRefusedForAnotherReason_getTheirOwnEntry() throws Exception {
    byte[] json = record("SAME-BYTES", "tekst").getBytes(StandardCharsets.UTF_8);
    Response wrongType = intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "text/plain", json);
    Response again = intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "text/plain", json);
    refused(wrongType, 415, "not accepted");
    assertThat(again.location()).isEqualTo(wrongType.location());
    // The same bytes with the right type are accepted: not a "duplicate" of the refusal.
    Response right =
        intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "application/json", json);
    assertThat(right.status()).as(right.body()).isEqualTo(202);
    JOURNALED.add(right.json().get("id").asText());
    assertThat(right.location()).isNotEqualTo(wrongType.location());
    awaitState(right.json().get("id").asText(), "SENT");
  }

  @Test
  @Order(8)
  void recordsOf3_9And10MB_getAClearAnswer_andTheGatewayStaysHealthy() throws Exception {
    for (int mb : new int[] {3, 9, 10}) {
      String text = "Lorem ipsum dolor sit amet. ".repeat(mb * 1024 * 1024 / 28 - 40);
      byte[] body = record("BIG-" + mb, text).getBytes(StandardCharsets.UTF_8);
      assertThat(body.length).isLessThanOrEqualTo(10 * 1024 * 1024);
      Response response = postJson(body);
      JsonNode entry = refused(response, 422, "over the limit of 100000");
      assertThat(response.json().get("issue").get(0).get("expression").get(0).asText())
          .isEqualTo("text");
      assertThat(entry.get("payloadSize").asLong()).isEqualTo(body.length);
      assertHealthy();
    }
  }

  @Test
  @Order(9)
  void hundredMegabytes_refusedUnread() throws Exception {
    String response;
    try (Socket socket = new Socket("localhost", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(intakePostHead(SOURCE, 100L * 1024 * 1024));
      out.write("{\"journalpostId\":".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      response = readHead(socket.getInputStream());
    }
    assertThat(response).startsWith("HTTP/1.1 413");
    String location =
        response
            .lines()
            .filter(l -> l.toLowerCase().startsWith("location:"))
            .findFirst()
            .orElseThrow()
            .substring("location:".length())
            .strip();
    JsonNode entry = journalEntry(location.substring(location.lastIndexOf('/') + 1));
    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText()).contains("over the limit");
    JOURNALED.add(entry.get("id").asText());
    assertHealthy();
  }

  @Test
  @Order(10)
  void pathTraversalAndSqlInParameters_changeNothing() throws Exception {
    long before = count();
    Response traversal =
        intakeClient()
            .post(
                "/api/v1/records/..%2F..%2Fetc",
                "application/json", record("TRAV", "tekst").getBytes(StandardCharsets.UTF_8));
    assertThat(traversal.status()).isIn(400, 401, 404);
    Response dotted =
        intakeClient()
            .post(
                "/api/v1/records/..",
                "application/json",
                record("TRAV2", "tekst").getBytes(StandardCharsets.UTF_8));
    // Rejected by the firewall (or normalised away) before any controller: never a record.
    assertThat(dotted.status()).isIn(400, 401, 404, 405);
    assertThat(Files.exists(dataDir().resolve("etc"))).isFalse();

    Response sqlState =
        operatorClient().get("/api/v1/messages?state=FAILED'%3BDROP%20TABLE%20journal_entry%3B--");
    assertThat(sqlState.status()).isEqualTo(400);
    assertThat(sqlState.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    Response sqlSource = operatorClient().get("/api/v1/messages?source=x'%20OR%20'1'%3D'1");
    assertThat(sqlSource.status()).isEqualTo(200);
    assertThat(sqlSource.json().get("total").asLong()).isZero();
    assertThat(count()).isGreaterThanOrEqualTo(before);
    assertHealthy();
  }

  @Test
  @Order(11)
  void fileWithAnIdTooLongForItsColumn_isJournaledOnce_andLeavesTheInbox() throws Exception {
    String longId = "SP-FILE-" + "7".repeat(300);
    drop(SOURCE, "long-id.json", record(longId, "tekst").getBytes(StandardCharsets.UTF_8));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(entriesNamed("long-id.json")).hasSize(1));
    JsonNode entry = entriesNamed("long-id.json").get(0);
    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText()).contains("recordId").contains("max-length");
    JOURNALED.add(entry.get("id").asText());
    assertInboxEmpty();
    assertHealthy();
  }

  @Test
  @Order(12)
  void halfWrittenFile_isNotReadUntilItStopsChanging() throws Exception {
    byte[] whole = record("HALF-WRITTEN", "Skrevet i to dele").getBytes(StandardCharsets.UTF_8);
    Path file = Files.createDirectories(inbox(SOURCE)).resolve("half-written.json");
    // A writer that does not rename: the first part, a pause shorter than file-stable-after, the
    // rest.
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    // Its last change stays younger than file-stable-after (1 s) for the whole pause, however long
    // this thread is held up on a loaded machine. The pause (600 ms, longer than the consumer's
    // 500 ms between looks, so two looks see the file unchanged) is real time: with this thread
    // held up until the pause was 2.5 s, the half file was read (the test failed; at 1.2 s it was
    // not); dated 10 s ahead, it passes at 2.5 s too. The append below dates it now again.
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
    // The writer pauses, shorter than file-stable-after: the half-written file stays in the inbox.
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(() -> Files.exists(file));
    Files.write(
        file, Arrays.copyOfRange(whole, whole.length / 2, whole.length), StandardOpenOption.APPEND);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(entriesNamed("half-written.json")).hasSize(1));
    JsonNode entry = entriesNamed("half-written.json").get(0);
    assertThat(entry.get("state").asText()).isNotEqualTo("FAILED");
    JOURNALED.add(entry.get("id").asText());
    awaitState(entry.get("id").asText(), "SENT");
  }

  @Test
  @Order(13)
  void fileArrivingWhileTheJournalCannotBeWritten_waitsWithBackOff_andIsJournaledAfterwards()
      throws Exception {
    jdbc.sql("ALTER TABLE journal_event RENAME TO journal_event_away").update();
    try {
      drop(
          SOURCE,
          "journal-down.json",
          record("JOURNAL-DOWN", "tekst").getBytes(StandardCharsets.UTF_8));
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.exists(inbox(SOURCE).resolve("journal-down.json")));
    } finally {
      jdbc.sql("ALTER TABLE journal_event_away RENAME TO journal_event").update();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(entriesNamed("journal-down.json")).hasSize(1));
    JOURNALED.add(entriesNamed("journal-down.json").get(0).get("id").asText());
    assertInboxEmpty();
  }

  @Test
  @Order(14)
  void healthIsDown_whenTheJournalCannotBeWritten_orAFolderIsUnwritable() throws Exception {
    assertHealthy();
    jdbc.sql("ALTER TABLE health_probe RENAME TO health_probe_away").update();
    try {
      Response down = operatorClient().get("/actuator/health");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
      assertThat(down.json().get("components").get("journal").get("status").asText())
          .isEqualTo("DOWN");
    } finally {
      jdbc.sql("ALTER TABLE health_probe_away RENAME TO health_probe").update();
    }
    assertHealthy();

    Path error = properties.errorDir();
    FileSystemUtils.deleteRecursively(error);
    Files.writeString(error, "a file where the error folder should be");
    try {
      Response down = operatorClient().get("/actuator/health");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.json().get("components").get("folders").get("status").asText())
          .isEqualTo("DOWN");
    } finally {
      Files.delete(error);
    }
    assertHealthy();
  }

  @Test
  @Order(15)
  void poisonEntry_isQuarantinedInsteadOfRunAgain_healthTurnsDown_andAnAdminRetryFinishesIt()
      throws Exception {
    camel.getRouteController().stopRoute(RouteIds.GATES);
    String id;
    try {
      id = submitJson(SOURCE, record("POISON", "tekst").getBytes(StandardCharsets.UTF_8));
      JOURNALED.add(id);
      // What three runs that died inside the gates stage leave behind: three counted starts.
      for (int i = 0; i < 3; i++) {
        journal.countAttempt(id, RouteIds.GATES);
      }
    } finally {
      camel.getRouteController().startRoute(RouteIds.GATES);
    }
    awaitState(id, "QUARANTINED");
    assertThat(journalEntry(id).get("reason").asText())
        .startsWith("quarantined: stage gates was started 3 times");
    Response down = operatorClient().get("/actuator/health");
    assertThat(down.status()).isEqualTo(503);
    assertThat(
            down.json().get("components").get("journal").get("details").get("quarantined").asInt())
        .isEqualTo(1);

    Response retry = retry(adminClient(), id, "looked at it");
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    awaitState(id, "SENT");
    assertHealthy();
  }

  @Test
  @Order(16)
  void receivedEntry_canBeDiscardedByAnAdmin() throws Exception {
    camel.getRouteController().stopRoute(RouteIds.GATES);
    String id;
    try {
      id = submitJson(SOURCE, record("DISCARD-RECEIVED", "tekst").getBytes(StandardCharsets.UTF_8));
      JOURNALED.add(id);
      Response discard =
          adminClient()
              .post(
                  "/api/v1/messages/" + id + "/discard",
                  "application/json",
                  "{\"reason\": \"sent by mistake\"}".getBytes(StandardCharsets.UTF_8));
      assertThat(discard.status()).as(discard.body()).isEqualTo(200);
    } finally {
      camel.getRouteController().startRoute(RouteIds.GATES);
    }
    // The queued stage run meets a discarded entry and leaves it so.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> journalEntry(id).get("state").asText().equals("DISCARDED"));
  }

  @Test
  @Order(17)
  void largestLegalRecord_goesThrough_andItsMemoryIsMeasured() throws Exception {
    ObjectNode record =
        (ObjectNode) JSON.readTree(record("LARGEST", "x".repeat(100_000 - 10) + " slutning."));
    String data = Base64.getEncoder().encodeToString(new byte[1024 * 1024 / 4 * 3]);
    assertThat(data).hasSize(1024 * 1024);
    record
        .putArray("bilag")
        .addObject()
        .put("filnavn", "stor.pdf")
        .put("mimetype", "application/pdf")
        .put("indhold", data);
    byte[] body = JSON.writeValueAsBytes(record);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(baseline);
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher =
        new Thread(
            () -> {
              while (watching.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    watcher.start();
    long allocatedBefore = allocatedByAllThreads();
    String id = submitJson(SOURCE, body);
    JOURNALED.add(id);
    awaitState(id, "SENT");
    long allocated = allocatedByAllThreads() - allocatedBefore;
    watching.set(false);
    watcher.join();
    System.gc();
    long after = memory.getHeapMemoryUsage().getUsed();
    long mb = 1024 * 1024;
    System.out.printf(
        "largest legal record (%d bytes: 100000 characters of text, 1 MiB base64 attachment):"
            + " allocated %d MB by the gateway's threads from intake to SENT; heap baseline %d MB, peak %d MB"
            + " (+%d MB, garbage included), after GC %d MB, max heap %d MB%n",
        body.length,
        allocated / mb,
        baseline / mb,
        peak.get() / mb,
        (peak.get() - baseline) / mb,
        after / mb,
        memory.getHeapMemoryUsage().getMax() / mb);
    // Retained after processing: the record is not kept in memory once delivered.
    assertThat(after - baseline).isLessThan(64 * mb);
    assertHealthy();
  }

  @Test
  @Order(18)
  void retryingEntries_showTheirLatestAttemptInTheList() throws Exception {
    Path postbox = outbox("5790009900054");
    FileSystemUtils.deleteRecursively(postbox);
    Files.createDirectories(postbox.getParent());
    Files.writeString(postbox, "not a folder");
    String id;
    try {
      id = submitJson(SOURCE, record("RETRYING-LIST", "tekst").getBytes(StandardCharsets.UTF_8));
      JOURNALED.add(id);
      awaitState(id, "RETRYING");
      jdbc.sql(
              "UPDATE scheduled_tasks SET execution_time = CURRENT_TIMESTAMP WHERE task_name = 'message-delivery' AND task_instance = :id")
          .param("id", id)
          .update();
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(journalEntry(id).get("reason").asText())
                      .startsWith("transport failed (attempt 2"));
      JsonNode list =
          operatorClient().get("/api/v1/messages?state=RETRYING&size=100").json().get("items");
      boolean found = false;
      for (JsonNode item : list) {
        if (item.get("id").asText().equals(id)) {
          assertThat(item.get("reason").asText()).startsWith("transport failed (attempt 2");
          found = true;
        }
      }
      assertThat(found).isTrue();
    } finally {
      Files.delete(postbox);
    }
  }

  @Test
  @Order(19)
  void loginsAreGuarded_failuresAudited_andAUserLockedAfterFiveFailures() {
    GatewayClient wrong = client("auditor", "wrong-password");
    for (int i = 0; i < 5; i++) {
      assertThat(wrong.get("/api/v1/audit").status()).isEqualTo(401);
    }
    Response locked = client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.json().get("issue").get(0).get("diagnostics").asText())
        .contains("too many failed logins");
    // Another user from the same address is not affected.
    assertThat(operatorClient().get("/api/v1/messages").status()).isEqualTo(200);
    JsonNode audit = adminClient().get("/api/v1/audit?size=50").json();
    String text = audit.toString();
    assertThat(text).contains("LOGIN_FAILED").contains("LOGIN_LOCKED").contains("auditor");
    // A name that is no user (perhaps a password typed in the wrong field) is never kept.
    client("Hemmeligt-kodeord-123", "x").get("/api/v1/messages");
    assertThat(adminClient().get("/api/v1/audit?size=50").json().toString())
        .doesNotContain("Hemmeligt-kodeord-123")
        .contains("(unknown user)");
  }

  @Test
  @Order(20)
  void fileTheJournalRefusesAsReceived_goesToTheErrorFolder_journaledWithItsReason_notRetried()
      throws Exception {
    // A real refusal by the database of what an accepted record writes (its canonical record),
    // while
    // refusals, which carry none, can still be written: the failure of ours the error folder is
    // for.
    jdbc.sql(
            """
        CREATE FUNCTION refuse_accepted() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'; END $$""")
        .update();
    jdbc.sql(
            """
        CREATE TRIGGER refuse_accepted BEFORE INSERT ON journal_entry FOR EACH ROW
        WHEN (NEW.source_record_id LIKE 'ERROR-FOLDER-%' AND NEW.canonical_record IS NOT NULL)
        EXECUTE FUNCTION refuse_accepted()""")
        .update();
    byte[] bytes =
        record("ERROR-FOLDER-" + System.nanoTime(), "tekst").getBytes(StandardCharsets.UTF_8);
    JsonNode entry;
    try {
      drop(SOURCE, "error-folder.json", bytes);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(entriesNamed("error-folder.json")).hasSize(1));
      assertInboxEmpty();
      // Polled many times since (poll delay 100 ms), and still one entry: no hot loop.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> entriesNamed("error-folder.json").size() == 1);
    } finally {
      jdbc.sql("DROP TRIGGER refuse_accepted ON journal_entry").update();
      jdbc.sql("DROP FUNCTION refuse_accepted()").update();
    }
    entry = journalEntry(entriesNamed("error-folder.json").get(0).get("id").asText());
    JOURNALED.add(entry.get("id").asText());
    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText())
        .isEqualTo(
            "the file could not be journaled as received"
                + " (DataIntegrityViolationException); it is kept in the error folder");
    Path kept = Path.of(entry.get("archivePath").asText()).toAbsolutePath().normalize();
    assertThat(kept).startsWith(properties.errorDir().resolve(SOURCE).toAbsolutePath().normalize());
    assertThat(kept).hasBinaryContent(bytes);
    try (Stream<Path> files = Files.walk(properties.errorDir())) {
      assertThat(
              files.filter(Files::isRegularFile).map(f -> f.toAbsolutePath().normalize()).toList())
          .containsExactly(kept);
    }
    assertHealthy();
  }

  @Test
  @Order(21)
  void nothingWasLost_everySubmissionIsJournaled_andAValidRecordStillGoesThrough()
      throws Exception {
    for (String id : JOURNALED) {
      assertThat(operatorClient().get("/api/v1/messages/" + id).status()).as(id).isEqualTo(200);
    }
    String id = submitJson(SOURCE, record("AFTER-ALL", "tekst").getBytes(StandardCharsets.UTF_8));
    awaitState(id, "SENT");
    assertHealthy();
  }

  // --- helpers

  private static String record(String recordId, String text) throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(TestFiles.read(TestFiles.MEDICATION_QUESTION));
    record.put("journalpostId", recordId);
    record.put("tekst", text);
    return JSON.writeValueAsString(record);
  }

  private Response postJson(byte[] body) {
    return intakeClient(SOURCE).post("/api/v1/records/" + SOURCE, "application/json", body);
  }

  private Response postXml(byte[] body) {
    return intakeClient(XML_SOURCE).post("/api/v1/records/" + XML_SOURCE, "application/xml", body);
  }

  /**
   * The refusal's status and OperationOutcome, and its journal entry: FAILED with the same reason.
   */
  private JsonNode refused(Response response, int status, String fragment) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(response.body()).contains(fragment);
    assertThat(response.location()).startsWith("/api/v1/messages/");
    JsonNode entry = operatorClient().get(response.location()).json();
    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText()).contains(fragment);
    JOURNALED.add(entry.get("id").asText());
    return entry;
  }

  /**
   * Waits a little: Camel reports a file consumer not ready until its first poll, which on a loaded
   * CI machine can come after the first cases have already run.
   */
  private void assertHealthy() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Response health = operatorClient().get("/actuator/health");
              assertThat(health.status()).as(health.body()).isEqualTo(200);
              assertThat(health.json().get("status").asText()).isEqualTo("UP");
            });
  }

  private List<JsonNode> entriesNamed(String name) {
    List<JsonNode> found = new ArrayList<>();
    operatorClient()
        .get("/api/v1/messages?channel=FILE&size=200")
        .json()
        .get("items")
        .forEach(
            item -> {
              if (name.equals(item.get("originalName").asText())) {
                found.add(item);
              }
            });
    return found;
  }

  private long count() {
    return operatorClient().get("/api/v1/messages?size=1").json().get("total").asLong();
  }

  private void assertInboxEmpty() {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try (Stream<Path> left = Files.walk(inbox(SOURCE))) {
                assertThat(left.filter(Files::isRegularFile)).isEmpty();
              }
            });
  }

  // Bytes allocated so far by every live thread (the stage workers and HTTP threads live on).
  private static long allocatedByAllThreads() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      total += Math.max(0, allocated);
    }
    return total;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
