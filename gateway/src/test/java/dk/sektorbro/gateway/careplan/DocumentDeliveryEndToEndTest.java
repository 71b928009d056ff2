package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dk.sektorbro.gateway.careplan.DocumentEndpoint.Mode;
import dk.sektorbro.gateway.careplan.DocumentEndpoint.Received;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 7 §3, the document Bundle itself to a FHIR-capable recipient: the hospital P3's route has a
 * documents-url pointing at a real HTTP endpoint in the test. The plan's CareCommunication still
 * goes to the postbox; the stored document goes to the endpoint once, after consent and addressing,
 * retried while the endpoint is down; a recipient without documents-url gets no document POST.
 */
// Own properties (FHIR document endpoint of its own): no other class shares this application;
// closed after the class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DocumentDeliveryEndToEndTest extends GatewayIntegrationTest {

  @Autowired CustomTask<Void> documentDeliveryTask;
  @Autowired JdbcClient jdbc;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String P3_SOR = "990031000016002";
  private static final String P3_GLN = "5790009900030";
  private static final String TEAM_SOR = "990041000016009";
  private static final String TEAM_GLN = "5790009900047";
  private static final Pattern STORED =
      Pattern.compile("care-plan document ([0-9a-f-]{36}) stored");
  private static final DocumentEndpoint ENDPOINT = start();

  @DynamicPropertySource
  static void fhirCapableHospital(DynamicPropertyRegistry registry) {
    registry.add("gateway.conformance.package-dir", MedComChains.PACKAGES::toString);
    registry.add("gateway.conformance.profiles-dir", () -> REPO.resolve("profiles").toString());
    registry.add("gateway.delivery.recipients." + P3_GLN + ".documents-url", ENDPOINT::url);
    registry.add("gateway.delivery.retry.initial-delay", () -> "200ms");
    registry.add("gateway.delivery.retry.max-delay", () -> "400ms");
    registry.add("gateway.delivery.schedule-poll", () -> "100ms");
  }

  @AfterAll
  static void stopEndpoint() {
    ENDPOINT.close();
  }

  @BeforeEach
  void endpointUp() {
    ENDPOINT.mode(Mode.TAKE);
  }

  @Test
  void kipWithConsent_theEndpointGetsTheStoredDocument_andThePostboxTheCareCommunication()
      throws Exception {
    recordKipConsent("0703495678");

    String id = submit(Files.readAllBytes(SamplePlans.path("kip-v1.json")));
    String document = documentId(awaitState(id, "SENT"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !ENDPOINT.receivedFor(document).isEmpty());

    Received received = ENDPOINT.receivedFor(document).get(0);
    assertThat(received.contentType()).isEqualTo("application/fhir+json");
    // Exactly the stored document, valid, a care plan.
    assertThat(received.body())
        .isEqualTo(operatorClient().get("/api/v1/documents/" + document).body());
    assertThat(
            MedComChains.get()
                .forType(ChainDefinition.CARE_PLAN_DOCUMENT)
                .validate(received.body())
                .errors())
        .isEmpty();
    Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, received.body());
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
    Composition composition = (Composition) bundle.getEntryFirstRep().getResource();
    assertThat(composition.getType().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
    assertThat(composition.getType().getCodingFirstRep().getCode()).isEqualTo("81215-6");

    // The postbox path is unchanged: the CareCommunication with the PDF in P3's postbox.
    JsonNode entry = awaitDocument(id, "DELIVERED");
    assertThat(Path.of(entry.get("outboxPath").asText())).startsWith(outbox(P3_GLN)).exists();
    assertThat(entry.get("state").asText()).isEqualTo("SENT");
    String history = entry.get("history").toString();
    assertThat(history)
        .contains("care-plan document " + document + " queued for the FHIR document endpoint")
        .contains(
            "care-plan document "
                + document
                + " posted to "
                + ENDPOINT.url()
                + " for EAN/GLN "
                + P3_GLN
                + " (attempt 1)");
    assertThat(history).doesNotContain("Testesen").doesNotContain("070349");
    JsonNode delivery = operatorClient().get("/api/v1/documents/" + document + "/delivery").json();
    assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
    assertThat(delivery.get("location").asText()).isEqualTo(ENDPOINT.url());
    assertThat(delivery.fieldNames())
        .toIterable()
        .containsExactly(
            "document",
            "journalId",
            "recipientGln",
            "state",
            "attempts",
            "nextAttempt",
            "lastError",
            "location",
            "queuedAt",
            "updatedAt");
    assertThat(ENDPOINT.receivedFor(document)).hasSize(1);
  }

  @Test
  void endpointDown_isRetriedWithBackOff_thenDeliveredOnce() throws Exception {
    ENDPOINT.mode(Mode.DOWN);
    String id =
        submit(plan("udskrivningsaftale.json", "PLAN-13A-DOWN", "UA-2026-0101", P3_SOR, P3_GLN));
    String document = documentId(awaitState(id, "SENT"));
    await().atMost(Duration.ofSeconds(30)).until(() -> ENDPOINT.receivedFor(document).size() >= 3);

    JsonNode pending = operatorClient().get("/api/v1/documents/" + document + "/delivery").json();
    assertThat(pending.get("state").asText()).isEqualTo("PENDING");
    assertThat(pending.get("lastError").asText()).contains("HTTP 503");
    assertThat(journalEntry(id).get("history").toString())
        .contains("POST failed (attempt 1: ")
        .contains("POST failed (attempt 2: ")
        .contains("still queued");

    ENDPOINT.mode(Mode.TAKE);
    JsonNode entry = awaitDocument(id, "DELIVERED");
    int delivered = ENDPOINT.receivedFor(document).size();
    // Several schedule polls: nothing more may go out.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ENDPOINT.receivedFor(document).size() == delivered);
    List<Received> copies = ENDPOINT.receivedFor(document);
    assertThat(copies.stream().filter(Received::taken)).hasSize(1);
    assertThat(copies.get(copies.size() - 1).taken()).isTrue();
    int attempts = copies.size();
    assertThat(entry.get("history").toString()).contains("(attempt " + attempts + ")");
    assertThat(
            operatorClient()
                .get("/api/v1/documents/" + document + "/delivery")
                .json()
                .get("attempts")
                .asInt())
        .isEqualTo(attempts);
  }

  // Both versions' documents wait for the endpoint; version 2 went out (its CareCommunication)
  // meanwhile. Version 1's document posted after that would reach the recipient's FHIR system
  // after version 2's message and read as the current plan: the plan-version guard cancels it.
  @Test
  void anOlderVersionsDocument_stillQueuedWhenANewerVersionWentOut_isCancelled() throws Exception {
    ENDPOINT.mode(Mode.DOWN);
    String v1 =
        submit(plan("udskrivningsaftale.json", "PLAN-13A-V1-OLD", "UA-2026-0188", P3_SOR, P3_GLN));
    String v1Document = documentId(awaitState(v1, "SENT"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ENDPOINT.receivedFor(v1Document).size() >= 1);
    ObjectNode second =
        (ObjectNode)
            JSON.readTree(
                plan("udskrivningsaftale.json", "PLAN-13A-V2-NEW", "UA-2026-0188", P3_SOR, P3_GLN));
    second.put("version", "2");
    String v2 = submit(JSON.writeValueAsBytes(second));
    String v2Document = documentId(awaitState(v2, "SENT"));

    ENDPOINT.mode(Mode.TAKE);
    awaitDocument(v2, "DELIVERED");
    JsonNode entry = awaitDocument(v1, "CANCELLED");

    assertThat(ENDPOINT.receivedFor(v1Document).stream().filter(Received::taken)).isEmpty();
    assertThat(ENDPOINT.receivedFor(v2Document).stream().filter(Received::taken)).hasSize(1);
    assertThat(entry.get("history").toString()).contains("plan-version-superseded");
  }

  // "Replaces" is chosen when a version is stored, from the versions that went out to anyone. A
  // plan whose versions go to two recipients (the hospital with a FHIR endpoint, the team by
  // postbox only) gave the hospital's endpoint version 2 "replacing" version 1, which it never
  // had, and version 4 "replacing" version 3, which it never had either: version 2, which it does
  // hold, stayed current there beside version 4. Each POST names the newest version posted to
  // that endpoint.
  @Test
  void versionsToTwoRecipients_eachDocumentPosted_replacesTheVersionThatEndpointReceived()
      throws Exception {
    String number = "UA-2026-0191";
    String v1 = submit(version(1, number, TEAM_SOR, TEAM_GLN));
    awaitState(v1, "SENT");
    String v2 = submit(version(2, number, P3_SOR, P3_GLN));
    String v2Document = documentId(awaitState(v2, "SENT"));
    awaitDocument(v2, "DELIVERED");
    String v3 = submit(version(3, number, TEAM_SOR, TEAM_GLN));
    awaitState(v3, "SENT");
    String v4 = submit(version(4, number, P3_SOR, P3_GLN));
    String v4Document = documentId(awaitState(v4, "SENT"));
    JsonNode v4Entry = awaitDocument(v4, "DELIVERED");

    // What is stored (and served by the API) keeps the plan's own chain: 2 replaces 1, 4 replaces
    // 3.
    assertThat(replaces(operatorClient().get("/api/v1/documents/" + v2Document).body()))
        .containsExactly(compositionIdentifier(documentId(journalEntry(v1))));
    assertThat(replaces(operatorClient().get("/api/v1/documents/" + v4Document).body()))
        .containsExactly(compositionIdentifier(documentId(journalEntry(v3))));
    // What the hospital's endpoint got names only what it had received.
    String postedV2 = ENDPOINT.receivedFor(v2Document).get(0).body();
    String postedV4 = ENDPOINT.receivedFor(v4Document).get(0).body();
    assertThat(replaces(postedV2)).isEmpty();
    assertThat(replaces(postedV4)).containsExactly(compositionIdentifier(v2Document));
    for (String posted : List.of(postedV2, postedV4)) {
      assertThat(
              MedComChains.get()
                  .forType(ChainDefinition.CARE_PLAN_DOCUMENT)
                  .validate(posted)
                  .errors())
          .isEmpty();
    }
    assertThat(v4Entry.get("history").toString())
        .contains("for this endpoint it replaces version 2 (document " + v2Document + ")");
  }

  // One recipient: version 2 was on its way (RETRYING on a blocked postbox) when version 3 was
  // stored, so version 3 was stored "replacing" version 2; then version 2 was discarded and never
  // reached the endpoint. The endpoint, which holds version 1, got version 3 "replacing" version 2.
  @Test
  void aVersionStoppedAfterItsSuccessorWasStored_theSuccessorPosted_replacesTheOneTheEndpointHas()
      throws Exception {
    String number = "UA-2026-0192";
    String v1 = submit(version(1, number, P3_SOR, P3_GLN));
    String v1Document = documentId(awaitState(v1, "SENT"));
    awaitDocument(v1, "DELIVERED");
    byte[] third = version(3, number, P3_SOR, P3_GLN);
    String[] v3 = new String[1];
    String v2 =
        submitWhileBlocked(
            P3_GLN,
            SamplePlans.SOURCE,
            version(2, number, P3_SOR, P3_GLN),
            id -> {
              v3[0] = submit(third);
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(() -> journalEntry(v3[0]).get("history").toString().contains("stored"));
              GatewayClient.Response discarded =
                  adminClient()
                      .post(
                          "/api/v1/messages/" + id + "/discard",
                          "application/json",
                          "{\"reason\": \"version 3 follows\"}".getBytes(StandardCharsets.UTF_8));
              assertThat(discarded.status()).as(discarded.body()).isEqualTo(200);
            });
    String v3Document = documentId(awaitState(v3[0], "SENT"));
    awaitDocument(v3[0], "DELIVERED");

    assertThat(state(v2)).isEqualTo("DISCARDED");
    assertThat(replaces(operatorClient().get("/api/v1/documents/" + v3Document).body()))
        .containsExactly(compositionIdentifier(documentId(journalEntry(v2))));
    assertThat(replaces(ENDPOINT.receivedFor(v3Document).get(0).body()))
        .containsExactly(compositionIdentifier(v1Document));
  }

  /** The Composition identifiers a document's Composition says it replaces. */
  private static List<String> replaces(String bundleJson) {
    Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, bundleJson);
    return ((Composition) bundle.getEntryFirstRep().getResource())
        .getRelatesTo().stream()
            .filter(r -> r.getCode() == Composition.DocumentRelationshipType.REPLACES)
            .map(r -> r.getTargetIdentifier().getValue())
            .toList();
  }

  private String compositionIdentifier(String documentId) {
    Bundle bundle =
        FHIR.newJsonParser()
            .parseResource(
                Bundle.class, operatorClient().get("/api/v1/documents/" + documentId).body());
    return ((Composition) bundle.getEntryFirstRep().getResource()).getIdentifier().getValue();
  }

  /** Version {@code n} of a discharge agreement to one recipient. */
  private static byte[] version(int n, String planNumber, String sor, String gln)
      throws IOException {
    ObjectNode record =
        (ObjectNode)
            JSON.readTree(
                plan(
                    "udskrivningsaftale.json",
                    "PLAN-" + planNumber + "-V" + n,
                    planNumber,
                    sor,
                    gln));
    record.put("version", String.valueOf(n));
    return JSON.writeValueAsBytes(record);
  }

  /**
   * A node that stalled after the engine picked a document's execution (a long GC pause, a
   * suspended VM), while another node revived the execution (its version moved on) and holds it,
   * must post nothing when it resumes: the other node posts. The other node's revival and pick are
   * the statement the engine makes for them; the stalled run is this node's task run with the
   * version its pick had.
   */
  @Test
  void stalledRun_whoseExecutionAnotherNodeTookOver_postsNothing() throws Exception {
    ENDPOINT.mode(Mode.DOWN);
    String id =
        submit(plan("udskrivningsaftale.json", "PLAN-13A-STALLED", "UA-2026-0177", P3_SOR, P3_GLN));
    String document = documentId(awaitState(id, "SENT"));
    await().atMost(Duration.ofSeconds(30)).until(() -> ENDPOINT.receivedFor(document).size() >= 1);

    // Node B revives and picks the execution (between two runs of this node: not picked here).
    AtomicLong taken = new AtomicLong();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              List<Long> version =
                  jdbc.sql(
                          "UPDATE scheduled_tasks SET picked = true, picked_by = 'node-b',"
                              + " version = version + 1, execution_time = now() + interval '1 hour'"
                              + " WHERE task_name = :task AND task_instance = :document"
                              + " AND picked = false RETURNING version")
                      .param("task", DocumentDeliveries.TASK)
                      .param("document", document)
                      .query(Long.class)
                      .list();
              version.forEach(taken::set);
              return !version.isEmpty();
            });
    ENDPOINT.mode(Mode.TAKE);
    int posted = ENDPOINT.receivedFor(document).size();

    // This node resumes its run with the version its own pick had.
    Execution stalled =
        new Execution(
            Instant.now(),
            new TaskInstance<Void>(DocumentDeliveries.TASK, document),
            true,
            "node-a",
            null,
            null,
            0,
            Instant.now(),
            taken.get() - 1);
    documentDeliveryTask.execute(
        stalled.taskInstance, new ExecutionContext(null, stalled, null, null));

    assertThat(ENDPOINT.receivedFor(document)).hasSize(posted);
    assertThat(journalEntry(id).get("history").toString())
        .contains("found its delivery taken over by another node, and posted nothing");
    assertThat(
            jdbc.sql(
                    "SELECT version FROM scheduled_tasks WHERE task_name = :task"
                        + " AND task_instance = :document")
                .param("task", DocumentDeliveries.TASK)
                .param("document", document)
                .query(Long.class)
                .single())
        .as("the stalled run leaves node B's execution as it is")
        .isEqualTo(taken.get());

    // Node B's run (here: the execution released to this node's engine) posts it, once.
    jdbc.sql(
            "UPDATE scheduled_tasks SET picked = false, picked_by = NULL, execution_time = now()"
                + " WHERE task_name = :task AND task_instance = :document")
        .param("task", DocumentDeliveries.TASK)
        .param("document", document)
        .update();
    awaitDocument(id, "DELIVERED");
    assertThat(ENDPOINT.receivedFor(document).stream().filter(Received::taken)).hasSize(1);
  }

  @Test
  void endpointRefusing_isAPermanentFailure_visibleToOperators() throws Exception {
    ENDPOINT.mode(Mode.REFUSE);
    String id =
        submit(plan("udskrivningsaftale.json", "PLAN-13A-REFUSED", "UA-2026-0102", P3_SOR, P3_GLN));
    String document = documentId(awaitState(id, "SENT"));
    JsonNode entry = awaitDocument(id, "FAILED");

    assertThat(entry.get("history").toString())
        .contains("care-plan document " + document + " NOT delivered (attempt 1)")
        .contains("HTTP 400");
    assertThat(operatorClient().get("/api/v1/documents/deliveries?state=FAILED").body())
        .contains(document);
    assertThat(operatorClient().get("/api/v1/documents/deliveries?state=NONSENSE").status())
        .isEqualTo(400);
    JsonNode health =
        operatorClient().get("/actuator/health").json().get("components").get("documentDelivery");
    assertThat(health.get("details").get("failed").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(adminClient().get("/actuator/prometheus").body())
        .contains("gateway_documents_failed")
        .contains("gateway_documents_deliveries_total");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ENDPOINT.receivedFor(document).size() == 1);

    // The hospital fixes its endpoint; an operator tries the document again, with a comment.
    ENDPOINT.mode(Mode.TAKE);
    byte[] comment =
        "{\"comment\": \"P3 fixed their document endpoint\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(
            intakeClient()
                .post(
                    "/api/v1/documents/" + document + "/delivery/retry",
                    "application/json",
                    comment)
                .status())
        .isEqualTo(403);
    GatewayClient.Response retry =
        operatorClient()
            .post("/api/v1/documents/" + document + "/delivery/retry", "application/json", comment);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    JsonNode delivered = awaitDocument(id, "DELIVERED");
    assertThat(ENDPOINT.receivedFor(document).stream().filter(Received::taken)).hasSize(1);
    assertThat(delivered.get("history").toString())
        .contains(
            "care-plan document "
                + document
                + " delivery retried by operator: P3 fixed their document endpoint")
        .contains("(attempt 2)");
    assertThat(adminClient().get("/api/v1/audit?action=RETRY_DOCUMENT_DELIVERY").body())
        .contains(document)
        .contains("FAILED -> PENDING");
    // Delivered now: nothing left to retry.
    assertThat(
            operatorClient()
                .post(
                    "/api/v1/documents/" + document + "/delivery/retry",
                    "application/json",
                    comment)
                .status())
        .isEqualTo(409);
  }

  @Test
  void consentRevokedWhileTheDocumentWaits_theDocumentIsNotDelivered() throws Exception {
    ENDPOINT.mode(Mode.DOWN);
    String consentId = recordKipConsent("1102505999");
    ObjectNode record =
        (ObjectNode)
            JSON.readTree(plan("kip-v1.json", "PLAN-KIP-REVOKED", "KIP-2026-0102", P3_SOR, P3_GLN));
    ((ObjectNode) record.get("borger")).put("cpr", "110250-5999");
    String id = submit(JSON.writeValueAsBytes(record));
    String document = documentId(awaitState(id, "SENT"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !ENDPOINT.receivedFor(document).isEmpty());

    revokeConsent(consentId);
    // An attempt already past its recheck still meets the down endpoint (and takes nothing there);
    // every later one is rechecked. A document's attempts run one after another (one execution),
    // so once it is CANCELLED no attempt from before the revocation is left: the endpoint takes
    // again only then. (It took again after a fixed 800 ms, and an attempt that had passed its
    // recheck before the revocation but was slowed past them by a loaded machine would have
    // been taken.)
    JsonNode entry = awaitDocument(id, "CANCELLED");
    assertThat(ENDPOINT.receivedFor(document).stream().noneMatch(Received::taken)).isTrue();
    ENDPOINT.mode(Mode.TAKE);

    assertThat(entry.get("history").toString())
        .contains("care-plan document " + document + " not delivered: " + "consent-recheck");
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ENDPOINT.receivedFor(document).stream().noneMatch(Received::taken));
  }

  @Test
  void recipientWithoutDocumentsUrl_getsNoDocumentPost() throws Exception {
    String id =
        submit(
            plan("udskrivningsaftale.json", "PLAN-13A-TEAM", "UA-2026-0103", TEAM_SOR, TEAM_GLN));
    JsonNode entry = awaitState(id, "SENT");
    String document = documentId(entry);
    assertThat(Path.of(entry.get("outboxPath").asText())).startsWith(outbox(TEAM_GLN));

    // Many schedule polls: still nothing for this recipient.
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ENDPOINT.receivedFor(document).isEmpty());
    assertThat(journalEntry(id).get("history").toString())
        .doesNotContain("queued for the FHIR document endpoint");
    GatewayClient.Response delivery =
        operatorClient().get("/api/v1/documents/" + document + "/delivery");
    assertThat(delivery.status()).isEqualTo(404);
    assertThat(delivery.body()).contains("OperationOutcome");
  }

  private JsonNode awaitDocument(String id, String state) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              String document = documentId(journalEntry(id));
              GatewayClient.Response response =
                  operatorClient().get("/api/v1/documents/" + document + "/delivery");
              return response.status() == 200
                  && state.equals(response.json().get("state").asText());
            });
    return journalEntry(id);
  }

  /** A plan sample as another plan, addressed to another recipient when asked. */
  private static byte[] plan(
      String sample, String recordId, String planNumber, String sor, String gln) {
    try {
      ObjectNode record = (ObjectNode) JSON.readTree(SamplePlans.path(sample).toFile());
      record.put("journalpostId", recordId);
      record.put("plannummer", planNumber);
      ObjectNode recipient = (ObjectNode) record.get("modtager");
      recipient.put("sor", sor);
      recipient.put("ean", gln);
      return JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String recordKipConsent(String cpr) {
    GatewayClient.Response response =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                SampleConsents.json(
                        cpr,
                        P3_SOR,
                        "care-coordination",
                        List.of(
                            "care-plans",
                            "current-treatment",
                            "substance-misuse",
                            "social-conditions"))
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("id").asText();
  }

  private String submit(byte[] record) {
    return submitJson(SamplePlans.SOURCE, record);
  }

  private static String documentId(JsonNode entry) {
    Matcher m = STORED.matcher(entry.get("history").toString());
    assertThat(m.find()).as("a 'document stored' event in the history").isTrue();
    return m.group(1);
  }

  private static DocumentEndpoint start() {
    try {
      return new DocumentEndpoint();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
