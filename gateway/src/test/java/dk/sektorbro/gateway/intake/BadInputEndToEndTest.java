package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bad input ends FAILED (file) or refused (REST) with a clear reason; nothing is lost; the routes
 * keep running (a valid record right after still goes through).
 */
class BadInputEndToEndTest extends GatewayIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAILED_FILES = "/api/v1/messages?state=FAILED&channel=FILE&size=100";

  @Test
  void everyInvalidSampleDropped_endsFailedWithItsExpectedReason_andTheRouteKeepsRunning()
      throws IOException {
    SampleConsents.recordAll(adminClient());
    Map<String, String> expectedReasons = new LinkedHashMap<>();
    Map<String, byte[]> dropped = new LinkedHashMap<>();
    for (String source : new String[] {"nordby-socialpsykiatri", "nordby-hjemmepleje"}) {
      for (Path bad : TestFiles.invalidSamples(source)) {
        // Byte for byte, so a reason with a line and column is the one in the expected file (the
        // REST test posts its samples with a trailing newline: not a duplicate of these). An empty
        // sample is dropped as one newline, blank all the same: a zero-byte file is taken too
        // (FileIntakeRouteAdviceTest), but here it is the same content and refusal as the REST
        // test's empty body for the source, so it is journaled as a duplicate of that entry.
        byte[] content = TestFiles.read(bad);
        byte[] payload = content.length == 0 ? new byte[] {'\n'} : content;
        drop(source, bad.getFileName().toString(), payload);
        dropped.put(bad.getFileName().toString(), payload);
        expectedReasons.put(bad.getFileName().toString(), expectedReason(bad));
      }
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              List<String> names = new ArrayList<>();
              operatorClient()
                  .get(FAILED_FILES)
                  .json()
                  .get("items")
                  .forEach(i -> names.add(i.get("originalName").asText()));
              assertThat(names).containsAll(expectedReasons.keySet());
            });
    JsonNode failed = operatorClient().get(FAILED_FILES).json().get("items");
    // Each reason is written down once, beside its sample (invalid/expected/, InvalidSamplesTest).
    expectedReasons.forEach(
        (name, expected) -> assertThat(reason(failed, name)).as(name).isEqualTo(expected));
    // Nothing is lost: every entry keeps the file as dropped, byte for byte, even when it is not
    // valid UTF-8 (then as base64).
    dropped.forEach(
        (name, bytes) ->
            assertThat(original(journalEntry(idOf(failed, name)))).as(name).isEqualTo(bytes));
    JsonNode original = journalEntry(idOf(failed, "wrong-encoding.json")).get("original");
    assertThat(original.get("encoding").asText()).isEqualTo("base64");

    drop(
        "nordby-socialpsykiatri",
        "after-bad.json",
        withFreshId(
            TestFiles.read(
                TestFiles.TEST_MESSAGES.resolve(
                    "nordby-socialpsykiatri/status-efter-udskrivelse.json"))));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        operatorClient()
                            .get("/api/v1/messages?state=SENT")
                            .json()
                            .get("items")
                            .toString())
                    .contains("after-bad.json"));
    assertNothingLeftInInboxes();
  }

  @Test
  void oversizedFile_isArchivedNotRead_andJournaledFailed() throws IOException {
    Path folder = Files.createDirectories(inbox("nordby-socialpsykiatri"));
    Path temp = folder.resolve("huge.json.part");
    try (OutputStream out = Files.newOutputStream(temp)) {
      byte[] chunk = new byte[1024 * 1024];
      Arrays.fill(chunk, (byte) ' ');
      for (int i = 0; i < 20; i++) {
        out.write(chunk);
      }
    }
    Files.move(temp, folder.resolve("huge.json"));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(operatorClient().get(FAILED_FILES).json().get("items").toString())
                    .contains("huge.json"));
    String id = idOf(operatorClient().get(FAILED_FILES).json().get("items"), "huge.json");
    JsonNode entry = journalEntry(id);
    assertThat(entry.get("reason").asText()).contains("over the limit of 10485760 bytes");
    assertThat(entry.get("payloadSize").asLong()).isEqualTo(20L * 1024 * 1024);
    assertThat(Path.of(entry.get("archivePath").asText())).exists().hasSize(20L * 1024 * 1024);
    assertNothingLeftInInboxes();
  }

  @Test
  void unwritablePostbox_staysQueuedForRetry_andTheNextMessageStillGoesThrough()
      throws IOException {
    SampleConsents.recordAll(adminClient());
    // The GP's postbox path is taken by a plain file, so the folder cannot be created.
    BlockedPostbox blocked = blockPostbox("5790009900054");
    Response response =
        intakeClient()
            .post(
                "/api/v1/records/nordby-socialpsykiatri",
                "application/json",
                withFreshId(TestFiles.read(TestFiles.MEDICATION_QUESTION)));
    String id = response.json().get("id").asText();
    try {
      // An I/O failure is transient (docs/delivery.md): the message stays queued and is retried,
      // never dropped.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(journalEntry(id).get("state").asText()).isEqualTo("RETRYING"));
      JsonNode entry = journalEntry(id);
      assertThat(entry.get("reason").asText()).startsWith("transport failed (attempt 1: ");
      JsonNode last = entry.get("history").get(entry.get("history").size() - 1);
      assertThat(last.get("stage").asText()).isEqualTo("deliver");
      assertThat(last.get("detail").asText()).startsWith("FileAlreadyExistsException");

      Response next =
          intakeClient()
              .post(
                  "/api/v1/records/nordby-socialpsykiatri",
                  "application/json",
                  withFreshId(
                      TestFiles.read(
                          TestFiles.TEST_MESSAGES.resolve(
                              "nordby-socialpsykiatri/andet-med-emne.json"))));
      String nextId = next.json().get("id").asText();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          operatorClient()
                              .get("/api/v1/messages/" + nextId)
                              .json()
                              .get("state")
                              .asText())
                      .isEqualTo("SENT"));
    } finally {
      // The application is shared: the postbox is freed and the queued message delivered now, so no
      // later test finds a blocked postbox or this message among its delivery failures.
      blocked.close();
    }
    Response retried = retry(operatorClient(), id, "postbox freed");
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    awaitState(id, "SENT");
  }

  @Test
  void rest_refusesBadInputWithOperationOutcomes() {
    byte[] valid = TestFiles.read(TestFiles.MEDICATION_QUESTION);
    Response malformed =
        intakeClient()
            .post(
                "/api/v1/records/nordby-socialpsykiatri",
                "application/json",
                "{\"journalpostId\": ".getBytes(StandardCharsets.UTF_8));
    assertOutcome(malformed, 400, "malformed JSON");

    Path missingCpr =
        TestFiles.TEST_MESSAGES.resolve("nordby-socialpsykiatri/invalid/missing-cpr.json");
    JsonNode missingCprIssue = expectedOutcome(missingCpr).get("issues").get(0);
    Response invalid =
        intakeClient()
            .post(
                "/api/v1/records/nordby-socialpsykiatri",
                "application/json",
                withNewline(TestFiles.read(missingCpr)));
    assertOutcome(invalid, 422, missingCprIssue.get("message").asText());
    assertThat(operatorClient().get(invalid.location()).json().get("reason").asText())
        .isEqualTo(expectedReason(missingCpr));
    assertThat(invalid.json().get("issue").get(0).get("expression").get(0).asText())
        .isEqualTo(missingCprIssue.get("field").asText());
    assertThat(invalid.location()).startsWith("/api/v1/messages/");
    assertThat(operatorClient().get(invalid.location()).json().get("state").asText())
        .isEqualTo("FAILED");

    assertOutcome(
        intakeClient().post("/api/v1/records/no-such-system", "application/json", valid),
        404,
        "unknown source");
    assertOutcome(
        intakeClient().post("/api/v1/records/nordby-socialpsykiatri", "text/plain", valid),
        415,
        "not accepted");
    // A client that sends no Content-Type at all is told so, not "Content-Type 'null'".
    Response untyped = intakeClient().post("/api/v1/records/nordby-socialpsykiatri", null, valid);
    assertOutcome(
        untyped, 415, "sends JSON; a request without a Content-Type header is not accepted");
    assertThat(untyped.body()).doesNotContain("null");
    Path doctype = TestFiles.TEST_MESSAGES.resolve("nordby-hjemmepleje/invalid/xxe-doctype.xml");
    assertOutcome(
        intakeClient()
            .post(
                "/api/v1/records/nordby-hjemmepleje",
                "application/xml",
                withNewline(TestFiles.read(doctype))),
        400,
        expectedReason(doctype));
    assertOutcome(
        intakeClient().post("/api/v1/records/nordby-hjemmepleje", "application/xml", new byte[0]),
        400,
        "empty");

    byte[] big = new byte[11 * 1024 * 1024];
    Arrays.fill(big, (byte) 'x');
    assertOutcome(
        intakeClient().post("/api/v1/records/nordby-socialpsykiatri", "application/json", big),
        413,
        "over the limit");
  }

  @Test
  void api_requiresTheRightRole() {
    byte[] valid = TestFiles.read(TestFiles.MEDICATION_QUESTION);
    assertThat(client(null, null).get("/api/v1/messages").status()).isEqualTo(401);
    assertThat(client("operator", "wrong").get("/api/v1/messages").status()).isEqualTo(401);
    assertThat(
            client(null, null)
                .post("/api/v1/records/nordby-socialpsykiatri", "application/json", valid)
                .status())
        .isEqualTo(401);
    assertThat(
            operatorClient()
                .post("/api/v1/records/nordby-socialpsykiatri", "application/json", valid)
                .status())
        .isEqualTo(403);
    assertThat(intakeClient().get("/api/v1/messages").status()).isEqualTo(403);
    assertThat(adminClient().get("/api/v1/messages").status()).isEqualTo(200);
    assertThat(client(null, null).get("/actuator/health").status()).isEqualTo(200);
    assertThat(client(null, null).get("/actuator/prometheus").status()).isEqualTo(401);
    Response denied = intakeClient().get("/api/v1/messages");
    assertThat(denied.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
  }

  private static byte[] withNewline(byte[] content) {
    byte[] result = Arrays.copyOf(content, content.length + 1);
    result[content.length] = '\n';
    return result;
  }

  private void assertOutcome(Response response, int status, String diagnosticsFragment) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    JsonNode outcome = response.json();
    assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(outcome.get("issue").toString()).contains(diagnosticsFragment);
    // Each refusal is in the journal too, FAILED with the same reason.
    assertThat(response.location()).startsWith("/api/v1/messages/");
    JsonNode entry = operatorClient().get(response.location()).json();
    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.get("channel").asText()).isEqualTo("REST");
  }

  private static JsonNode expectedOutcome(Path sample) {
    try {
      return JSON.readTree(TestFiles.expected(sample).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The journal's reason for a refused sample, from its expected outcome: a malformed one's reason
   * as it is; an invalid one's issues as IntakeService words them, after the record and source.
   */
  private static String expectedReason(Path sample) {
    JsonNode expected = expectedOutcome(sample);
    if ("malformed".equals(expected.get("outcome").asText())) {
      return expected.get("reason").asText();
    }
    List<String> issues = new ArrayList<>();
    for (JsonNode issue : expected.get("issues")) {
      issues.add(
          issue.get("field").asText()
              + " ("
              + issue.get("sourcePath").asText()
              + "): "
              + issue.get("message").asText()
              + " ["
              + issue.get("rule").asText()
              + "]");
    }
    String source = sample.getParent().getParent().getFileName().toString();
    return "record "
        + expected.get("recordId").asText()
        + " from source "
        + source
        + " does not meet the mapping rules: "
        + String.join("; ", issues);
  }

  /** The original payload of a journal entry as the API shows it (UTF-8 text or base64). */
  private static byte[] original(JsonNode entry) {
    JsonNode original = entry.get("original");
    String content = original.get("content").asText();
    return "base64".equals(original.get("encoding").asText())
        ? Base64.getDecoder().decode(content)
        : content.getBytes(StandardCharsets.UTF_8);
  }

  private static String reason(JsonNode items, String originalName) {
    for (JsonNode item : items) {
      if (originalName.equals(item.get("originalName").asText())) {
        return item.get("reason").asText();
      }
    }
    throw new AssertionError("no journal entry for " + originalName);
  }

  private static String idOf(JsonNode items, String originalName) {
    for (JsonNode item : items) {
      if (originalName.equals(item.get("originalName").asText())) {
        return item.get("id").asText();
      }
    }
    throw new AssertionError("no journal entry for " + originalName);
  }

  private void assertNothingLeftInInboxes() throws IOException {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try (Stream<Path> left = Files.walk(dataDir().resolve("inbox"))) {
                assertThat(left.filter(Files::isRegularFile)).isEmpty();
              }
            });
  }
}
