package dk.sektorbro.gateway.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The typed web layer: the JSON shapes the API answered with before it was typed (field names,
 * order, nesting, nulls and absent fields, statuses), every error an OperationOutcome with its
 * text, and the OpenAPI document with real schemas. Shares the default application.
 */
class WebApiEndToEndTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";
  private static final String SAMPLE = SOURCE + "/status-efter-udskrivelse.json";
  private static final String P3_SOR = "990031000016002";
  private static final String P3_GLN = "5790009900030";

  @Test
  void messages_keepTheirShape_andActionsAnswerIdAndState() {
    String cpr = freshCpr();
    String id =
        submitJson(
            SOURCE,
            withFreshId(
                withFreshCitizen(
                    TestFiles.read(TEST_MESSAGES.resolve(SAMPLE)), "0503455012", cpr)));
    JsonNode entry = awaitState(id, "HELD_CONSENT");

    assertThat(names(entry))
        .containsExactly(
            "id",
            "source",
            "sourceRecordId",
            "channel",
            "originalName",
            "receivedAt",
            "updatedAt",
            "state",
            "reason",
            "messageType",
            "messageHeaderId",
            "recipient",
            "contentHash",
            "contentType",
            "payloadSize",
            "archivePath",
            "bundleId",
            "outboxPath",
            "history",
            "original",
            "canonicalRecord",
            "fhirFormat",
            "fhirMessage");
    assertThat(names(entry.get("recipient"))).containsExactly("sor", "gln", "name");
    assertThat(entry.get("originalName").isNull()).isTrue();
    assertThat(entry.get("canonicalRecord").isObject()).isTrue();
    assertThat(names(entry.get("original"))).containsExactly("encoding", "content");
    assertThat(entry.get("original").get("encoding").asText()).isEqualTo("utf-8");
    assertThat(names(entry.get("history").get(0)))
        .containsExactly("at", "state", "stage", "reason", "detail");

    JsonNode page = operatorClient().get("/api/v1/messages?source=" + SOURCE + "&size=1").json();
    assertThat(names(page)).containsExactly("page", "size", "total", "items");
    assertThat(names(page.get("items").get(0)))
        .containsExactly(
            "id",
            "source",
            "sourceRecordId",
            "channel",
            "originalName",
            "receivedAt",
            "updatedAt",
            "state",
            "reason",
            "messageType",
            "messageHeaderId",
            "recipient");

    JsonNode discarded =
        post(
            adminClient(),
            "/api/v1/messages/" + id + "/discard",
            "{\"reason\": \"shape test\"}",
            200);
    assertThat(names(discarded)).containsExactlyInAnyOrder("id", "state");
    assertThat(discarded.get("state").asText()).isEqualTo("DISCARDED");
    assertOutcome(
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/retry",
                "application/json",
                bytes("{\"comment\": \"again\"}")),
        409,
        "conflict",
        "retry needs a message in [FAILED, QUARANTINED, RETRYING]; this one is DISCARDED");
    assertOutcome(
        adminClient()
            .post(
                "/api/v1/routes/no-such-route/suspend",
                "application/json",
                bytes("{\"reason\": \"x\"}")),
        404,
        "not-found",
        "no route with id no-such-route");

    JsonNode audit = client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit?size=1").json();
    assertThat(names(audit)).containsExactly("page", "size", "total", "items");
  }

  @Test
  void consents_keepTheirShape_revocationOnlyOnceRevoked() {
    String cpr = freshCpr();
    GatewayClient.Response created =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                SampleConsents.json(cpr, P3_SOR, "care-coordination", List.of("social-conditions"))
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode consent = created.json();
    List<String> fields =
        List.of(
            "id",
            "citizenCpr",
            "type",
            "status",
            "givenBy",
            "recipients",
            "informationCategories",
            "purpose",
            "givenAt",
            "validUntil",
            "collectedBy",
            "witness",
            "form",
            "recordedAt");
    assertThat(names(consent)).containsExactlyElementsOf(fields);
    assertThat(names(consent.get("givenBy"))).containsExactly("type", "name", "authority");
    assertThat(names(consent.get("recipients").get(0)))
        .containsExactly("kind", "sor", "name", "relation", "municipality");

    JsonNode list = operatorClient().get("/api/v1/consents?cpr=" + cpr).json();
    assertThat(names(list)).containsExactlyInAnyOrder("total", "items");
    assertThat(list.get("total").asInt()).isEqualTo(1);

    JsonNode revoked =
        post(
            adminClient(),
            "/api/v1/consents/" + consent.get("id").asText() + "/revoke",
            "{\"revokedBy\": \"citizen\"}",
            200);
    List<String> withRevocation = new ArrayList<>(fields);
    withRevocation.add("revocation");
    assertThat(names(revoked)).containsExactlyElementsOf(withRevocation);
    assertThat(names(revoked.get("revocation"))).containsExactly("revokedAt", "revokedBy", "note");

    JsonNode late = operatorClient().get("/api/v1/consents/$late-revocations").json();
    assertThat(names(late)).containsExactly("total", "items");
    JsonNode report = operatorClient().get("/api/v1/consents/$legal-basis-report").json();
    assertThat(names(report)).containsExactly("from", "to", "legalBasis", "sender", "items");
    JsonNode imported =
        post(
            adminClient(),
            "/api/v1/consents/$import",
            "{\"resourceType\": \"Bundle\", \"type\": \"collection\"}",
            200);
    assertThat(names(imported)).containsExactlyInAnyOrder("imported", "skipped", "revoked");
  }

  @Test
  void registryAndDocuments_keepTheirShape() {
    JsonNode snapshots = operatorClient().get("/api/v1/registry/snapshots").json();
    assertThat(names(snapshots)).containsExactly("importing", "items");
    String snapshotId = snapshots.get("items").get(0).get("id").asText();
    JsonNode snapshot = operatorClient().get("/api/v1/registry/snapshots/" + snapshotId).json();
    assertThat(names(snapshot)).containsExactly("snapshot", "rejections");

    JsonNode unit = operatorClient().get("/api/v1/registry/units/" + P3_SOR).json();
    // "successors" only for a unit no longer active that has some.
    assertThat(names(unit))
        .containsExactly("snapshotId", "unit", "active", "path", "postbox", "children");
    assertThat(names(unit.get("path").get(0))).containsExactlyInAnyOrder("sor", "level", "name");
    // The postbox as the day's record: validFrom (first day in force) and endpointId (the EER
    // Endpoint, null for SOR XML) were added with the postbox periods (docs/addressing.md).
    assertThat(names(unit.get("postbox")))
        .containsExactlyInAnyOrder(
            "gln",
            "ownerSorId",
            "onlyInternal",
            "nonActive",
            "validFrom",
            "validTo",
            "receives",
            "payloadTypes",
            "communicationSupplier",
            "endpointId");

    JsonNode location = operatorClient().get("/api/v1/registry/locations/" + P3_GLN).json();
    assertThat(names(location)).containsExactly("snapshotId", "gln", "owners", "usedBy");
    assertThat(names(location.get("usedBy").get(0))).containsExactly("sor", "name", "inherited");

    JsonNode resolved =
        post(adminClient(), "/api/v1/registry/resolve", "{\"sor\": \"" + P3_SOR + "\"}", 200);
    assertThat(names(resolved)).containsExactly("snapshotId", "messageType", "resolution");

    GatewayClient.Response deliveries = operatorClient().get("/api/v1/documents/deliveries");
    assertThat(deliveries.status()).isEqualTo(200);
    assertThat(deliveries.contentType()).startsWith("application/json");
    assertThat(deliveries.json().isArray()).isTrue();
  }

  @Test
  void errorsOfEveryResource_areOperationOutcomesWithTheirText() {
    GatewayClient operator = operatorClient();
    assertOutcome(
        operator.get("/api/v1/messages?state=NOPE"),
        400,
        "value",
        "state: unknown state, expected one of [RECEIVED,");
    assertOutcome(
        operator.get("/api/v1/messages?size=0"),
        400,
        "value",
        "page must be >= 0 and size between 1 and 200");
    assertOutcome(
        operator.get("/api/v1/messages/no-such-id"),
        404,
        "not-found",
        "no journal entry with id no-such-id");
    assertOutcome(
        operator.get("/api/v1/documents/no-such-id/versions"),
        404,
        "not-found",
        "no care-plan document with this id");
    assertOutcome(
        operator.get("/api/v1/documents/deliveries?state=NOPE"),
        400,
        "value",
        "state must be one of PENDING, DELIVERED, FAILED, CANCELLED");
    assertOutcome(
        operator.get("/api/v1/registry/units/123"),
        400,
        "value",
        "not a valid SOR code (format or check digit)");
    assertOutcome(
        operator.get("/api/v1/registry/snapshots/nope"),
        404,
        "not-found",
        "no registry snapshot nope");
    assertOutcome(
        adminClient().post("/api/v1/registry/resolve", "application/json", bytes("{not json")),
        400,
        "structure",
        "expected a JSON object with sor, gln, name and messageType (all optional)");
    assertOutcome(
        operator.get("/api/v1/consents/no-such-id"),
        404,
        "not-found",
        "no consent with id no-such-id");
    assertOutcome(
        adminClient().post("/api/v1/consents", "application/json", bytes("[1,")),
        400,
        "structure",
        "the body is not a JSON object of the expected shape");
    JsonNode cpr =
        assertOutcome(
            operator.get("/api/v1/consents?cpr=123"),
            422,
            "invalid",
            "a valid CPR number is required to list consents (rule: cpr)");
    assertOutcome(
        operator.post("/api/v1/consents/_search", "application/json", bytes("{\"cpr\": \"123\"}")),
        422,
        "invalid",
        "a valid CPR number is required to list consents (rule: cpr)");
    assertOutcome(
        adminClient().get("/api/v1/consents/$export?cpr=123"),
        422,
        "invalid",
        "a valid CPR number is required to export (rule: cpr)");
    JsonNode broken =
        assertOutcome(
            adminClient()
                .post(
                    "/api/v1/consents",
                    "application/json",
                    bytes("{\"type\": \"nope\", \"purpose\": \"nope\"}")),
            422,
            "invalid",
            "the citizen's CPR number is required (rule: required)");
    List<String> diagnostics = new ArrayList<>();
    broken.get("issue").forEach(i -> diagnostics.add(i.get("diagnostics").asText()));
    assertThat(diagnostics)
        .contains(
            "type is 'consent' or 'refusal' (rule: known-type)",
            "not a code of the gateway's Purpose code list"
                + " (profiles/CodeSystem-sektorbro-*.json) (rule: known-code)",
            "at least one recipient is required (rule: required)");
    assertThat(cpr.get("issue").get(0).get("expression").get(0).asText()).isEqualTo("cpr");
    assertThat(cpr.get("issue").get(0).get("details").get("text").asText()).isEqualTo("cpr");
    assertOutcome(
        adminClient().post("/api/v1/messages/no-such-id/retry", "application/json", bytes("{}")),
        400,
        "required",
        "comment is required: say why");
    assertOutcome(
        adminClient()
            .post(
                "/api/v1/messages/no-such-id/retry",
                "application/json",
                bytes("{\"comment\": \"x\"}")),
        404,
        "not-found",
        "no journal entry with id no-such-id");
    assertOutcome(
        adminClient().post("/api/v1/messages/no-such-id/retry", "application/json", bytes("nope")),
        400,
        "invalid",
        "request body: expected a JSON object");
    assertOutcome(
        client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit?size=0"),
        400,
        "required",
        "page must be >= 0 and size between 1 and 200");
  }

  @Test
  void cluster_keepsItsShape() {
    JsonNode cluster = operatorClient().get("/api/v1/cluster").json();
    assertThat(names(cluster)).containsExactly("node", "inboxLeader", "nodes", "work");
    JsonNode self = cluster.get("nodes").get(0);
    assertThat(names(self))
        .containsExactly(
            "name",
            "self",
            "host",
            "alive",
            "startedAt",
            "lastHeartbeat",
            "stoppedAt",
            "inboxLeader",
            "pipelineInFlight",
            "runningWork",
            "schemaVersion",
            "mappings",
            "configurationDiffers",
            "clockSkewMillis");
    assertThat(self.get("self").isBoolean()).isTrue();
    // What several nodes must agree on (docs/cluster.md): this node is its own reference.
    JsonNode thisNode =
        StreamSupport.stream(cluster.get("nodes").spliterator(), false)
            .filter(n -> n.get("self").asBoolean())
            .findFirst()
            .orElseThrow();
    assertThat(thisNode.get("schemaVersion").isTextual()).isTrue();
    assertThat(thisNode.get("mappings").isTextual()).isTrue();
    assertThat(thisNode.get("configurationDiffers").asBoolean()).isFalse();
    assertThat(self.get("startedAt").isTextual()).isTrue();
    assertThat(self.get("stoppedAt").isNull()).isTrue();
    assertThat(self.get("pipelineInFlight").isNumber()).isTrue();
    assertThat(self.get("runningWork").isObject()).isTrue();
  }

  @Test
  void mappingDryRun_keepsItsShape() {
    GatewayClient admin = adminClient();
    String path = "/api/v1/mappings/" + SOURCE + "/$test";
    GatewayClient.Response tried =
        admin.post(
            path,
            "application/json",
            withFreshCitizen(
                TestFiles.read(TEST_MESSAGES.resolve(SAMPLE)), "0503455012", freshCpr()));
    assertThat(tried.status()).as(tried.body()).isEqualTo(200);
    assertThat(tried.contentType()).startsWith("application/json");
    JsonNode run = tried.json();
    assertThat(names(run))
        .containsExactly(
            "source",
            "journaled",
            "sent",
            "recordId",
            "canonicalRecord",
            "gates",
            "message",
            "validation",
            "outcome");
    assertThat(names(run.get("gates").get(0)))
        .containsExactly("gate", "decision", "state", "reason", "detail");
    assertThat(names(run.get("message")))
        .containsExactly("type", "messageHeaderId", "format", "content");
    assertThat(names(run.get("validation"))).containsExactly("chain", "valid", "issues");
    assertThat(names(run.get("outcome"))).containsExactlyInAnyOrder("state", "reason");
    assertThat(run.get("gates").get(0).get("state").isNull()).isTrue();
    assertThat(run.get("outcome").get("state").asText()).isEqualTo("HELD_CONSENT");

    JsonNode malformed = post(admin, path, "{not json", 200);
    assertThat(names(malformed))
        .containsExactly("source", "journaled", "sent", "recordId", "outcome");
    assertThat(malformed)
        .isEqualTo(
            json(
                "{\"source\":\"nordby-socialpsykiatri\",\"journaled\":false,\"sent\":false,"
                    + "\"recordId\":null,\"outcome\":{\"state\":\"FAILED\","
                    + "\"reason\":\"mapping: malformed JSON at line 1, column 2\"}}"));
    JsonNode invalid =
        post(
            admin,
            path,
            new String(
                TestFiles.read(TEST_MESSAGES.resolve(SOURCE + "/invalid/invalid-cpr.json")),
                StandardCharsets.UTF_8),
            200);
    assertThat(names(invalid))
        .containsExactly("source", "journaled", "sent", "recordId", "mappingIssues", "outcome");
    String issue =
        "citizen.cpr (source path 'borger.cpr'): not a valid CPR number (10 digits, the first 6 a"
            + " valid date) [cpr]";
    assertThat(invalid)
        .isEqualTo(
            json(
                "{\"source\":\"nordby-socialpsykiatri\",\"journaled\":false,\"sent\":false,"
                    + "\"recordId\":\"SP-BAD-3\",\"mappingIssues\":[\""
                    + issue
                    + "\"],\"outcome\":{\"state\":\"FAILED\",\"reason\":\"mapping: "
                    + issue
                    + "\"}}"));

    assertOutcome(
        admin.post("/api/v1/mappings/no-such-source/$test", "application/json", bytes("{}")),
        404,
        "not-found",
        "no mapping for source 'no-such-source'");
  }

  @Test
  void intakeRefusals_areJournaledOutcomesNamingTheEntry() {
    GatewayClient intake = intakeClient();
    List<GatewayClient.Response> refusals =
        List.of(
            intake.post("/api/v1/records/no-such-source", "application/json", bytes("{}")),
            intake.post("/api/v1/records/" + SOURCE, "application/xml", bytes("<x/>")),
            intake.post("/api/v1/records/" + SOURCE, "application/json", bytes("{not json")),
            intake.post(
                "/api/v1/records/" + SOURCE,
                "application/json",
                withFreshId(
                    TestFiles.read(TEST_MESSAGES.resolve(SOURCE + "/invalid/invalid-cpr.json")))),
            intake.post("/api/v1/records/" + SOURCE, "application/json", new byte[11 << 20]));
    List<String> expected =
        List.of(
            "404 {\"resourceType\":\"OperationOutcome\",\"id\":\"ID\",\"issue\":[{\"severity\":"
                + "\"error\",\"code\":\"not-found\",\"diagnostics\":\"unknown source: no mapping"
                + " file for it\"}]}",
            "415 {\"resourceType\":\"OperationOutcome\",\"id\":\"ID\",\"issue\":[{\"severity\":"
                + "\"error\",\"code\":\"not-supported\",\"diagnostics\":\"source"
                + " 'nordby-socialpsykiatri' sends JSON; Content-Type 'application/xml' is not"
                + " accepted\"}]}",
            "400 {\"resourceType\":\"OperationOutcome\",\"id\":\"ID\",\"issue\":[{\"severity\":"
                + "\"error\",\"code\":\"structure\",\"diagnostics\":\"malformed JSON at line 1,"
                + " column 2\"}]}",
            "422 {\"resourceType\":\"OperationOutcome\",\"id\":\"ID\",\"issue\":[{\"severity\":"
                + "\"error\",\"code\":\"invalid\",\"details\":{\"text\":\"cpr\"},\"diagnostics\":"
                + "\"not a valid CPR number (10 digits, the first 6 a valid date) (rule: cpr, from"
                + " source path 'borger.cpr')\",\"expression\":[\"citizen.cpr\"]}]}",
            "413 {\"resourceType\":\"OperationOutcome\",\"id\":\"ID\",\"issue\":[{\"severity\":"
                + "\"error\",\"code\":\"too-long\",\"diagnostics\":\"record of 11534336 bytes or"
                + " more is over the limit of 10485760 bytes\"}]}");
    for (int i = 0; i < refusals.size(); i++) {
      GatewayClient.Response r = refusals.get(i);
      String id = r.location().substring(r.location().lastIndexOf('/') + 1);
      assertThat(r.location()).isEqualTo("/api/v1/messages/" + id);
      assertThat(r.contentType()).isEqualTo("application/json");
      assertThat(r.status() + " " + r.body().replace(id, "ID")).isEqualTo(expected.get(i));
    }
  }

  /**
   * The simplest HTTP/1.1 client writes its whole body before it reads: the gateway answers a
   * record twice the limit without reading it, and must still let that client write to the end and
   * read the 413. With Tomcat's default (2 MB read and dropped, then the socket closed), the write
   * fails with a reset and the answer is lost; java.net.http's client, which reads while it writes,
   * lost it the same way now and then on a loaded machine.
   */
  @Test
  void oversizedRecord_sentWholeBeforeReading_getsItsAnswer() throws IOException {
    int size = 20 << 20;
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(intakePostHead(SOURCE, size));
      byte[] chunk = new byte[1 << 20];
      for (int written = 0; written < size; written += chunk.length) {
        out.write(chunk);
      }
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 413 ");
      assertThat(answer)
          .contains(
              "\"diagnostics\":\"record of "
                  + size
                  + " bytes or more is over the limit of"
                  + " 10485760 bytes\"");
    }
  }

  @Test
  void securityRefusals_areOperationOutcomesWithTheBundlesTexts() {
    GatewayClient.Response anonymous = client(null, null).get("/api/v1/messages");
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.body())
        .isEqualTo(
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                + "\"login\",\"diagnostics\":\"authentication required\"}]}");
    GatewayClient.Response intake = intakeClient().get("/api/v1/messages");
    assertThat(intake.status()).isEqualTo(403);
    assertThat(intake.body())
        .isEqualTo(
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                + "\"forbidden\",\"diagnostics\":\"your role may not do this\"}]}");
  }

  @Test
  void processMessage_answersOperationOutcomes() {
    GatewayClient intake = intakeClient();
    GatewayClient.Response empty =
        intake.post("/fhir/$process-message", "application/fhir+json", new byte[0]);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.contentType()).isEqualTo("application/json");
    assertThat(empty.body())
        .isEqualTo(
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                + "\"required\",\"diagnostics\":\"empty request: expected a FHIR message"
                + " Bundle\"}]}");
    GatewayClient.Response unreadable =
        intake.post("/fhir/$process-message", "application/fhir+json", bytes("{}"));
    assertThat(unreadable.status()).isEqualTo(400);
    assertThat(unreadable.contentType()).isEqualTo("application/json");
    assertThat(unreadable.body())
        .isEqualTo(
            "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":"
                + "\"structure\",\"diagnostics\":\"not a readable FHIR message Bundle with a"
                + " MessageHeader\"}]}");
  }

  @Test
  void openApi_describesResourcesAndErrorsWithSchemas() {
    JsonNode api = operatorClient().get("/v3/api-docs").json();
    JsonNode schemas = api.path("components").path("schemas");
    assertThat(names(schemas))
        .contains(
            "MessagePage",
            "MessageSummary",
            "MessageEntry",
            "PlanVersions",
            "DeliveryView",
            "Snapshots",
            "UnitView",
            "LocationView",
            "ResolveRequest",
            "ResolveView",
            "ConsentInput",
            "ConsentView",
            "ConsentList",
            "Comment",
            "MessageAction",
            "AuditPage",
            "OperationOutcome");
    // The summary's fields are the entry's own (unwrapped), not a nested object.
    assertThat(names(schemas.get("MessageEntry").get("properties")))
        .contains("id", "state", "recipient", "history", "canonicalRecord");
    assertThat(names(schemas.get("OperationOutcome").get("properties")))
        .contains("resourceType", "issue");

    assertThat(schemaOf(api, "/api/v1/messages", "get", "200")).endsWith("/MessagePage");
    assertThat(schemaOf(api, "/api/v1/messages/{id}", "get", "200")).endsWith("/MessageEntry");
    assertThat(schemaOf(api, "/api/v1/documents/{id}/versions", "get", "200"))
        .endsWith("/PlanVersions");
    assertThat(schemaOf(api, "/api/v1/registry/units/{sor}", "get", "200")).endsWith("/UnitView");
    assertThat(schemaOf(api, "/api/v1/consents", "get", "200")).endsWith("/ConsentList");
    assertThat(schemaOf(api, "/api/v1/consents", "post", "201")).endsWith("/ConsentView");
    assertThat(schemaOf(api, "/api/v1/consents/_search", "post", "200")).endsWith("/ConsentList");
    assertThat(
            api.at("/paths/~1api~1v1~1consents~1_search/post/requestBody/content")
                .findValue("$ref")
                .asText())
        .endsWith("/ConsentSearch");
    assertErrors(api, "/api/v1/consents/_search", "post", "400", "422", "500");
    assertThat(schemaOf(api, "/api/v1/messages/{id}/retry", "post", "200"))
        .endsWith("/MessageAction");
    assertThat(
            api.at("/paths/~1api~1v1~1consents/post/requestBody/content")
                .findValue("$ref")
                .asText())
        .endsWith("/ConsentInput");
    // Each operation lists the errors it can answer with, each an OperationOutcome, and no others.
    assertErrors(api, "/api/v1/messages/{id}/retry", "post", "400", "404", "409", "500");
    assertErrors(api, "/api/v1/messages/{id}", "get", "404", "500");
    assertErrors(api, "/api/v1/cluster", "get", "500");
    assertErrors(api, "/api/v1/consents", "post", "400", "422", "500");
    assertErrors(
        api, "/api/v1/records/{source}", "post", "400", "403", "404", "413", "415", "422", "500");
    assertErrors(api, "/api/v1/mappings/{source}/$test", "post", "404", "413", "500");
    assertThat(names(schemas.get("OperationOutcomeIssue").get("properties")))
        .contains("severity", "code", "diagnostics", "details", "expression");
    assertThat(schemaOf(api, "/api/v1/cluster", "get", "200")).endsWith("/ClusterStatus");
    assertThat(names(schemas.get("NodeView").get("properties")))
        .contains("name", "stoppedAt", "runningWork");
    assertThat(schemaOf(api, "/api/v1/mappings/{source}/$test", "post", "200"))
        .endsWith("/DryRunResult");
    assertThat(names(schemas.get("DryRunResult").get("properties")))
        .contains("recordId", "gates", "outcome");

    // FHIR $process-message: a message Bundle in (JSON or XML); out what was done with an
    // acknowledgement (OperationOutcome) or the gateway's Acknowledgement (a Bundle, as sent).
    String processMessage = "/fhir/$process-message";
    JsonNode in = api.path("paths").path(processMessage).path("post").path("requestBody");
    assertThat(names(in.path("content"))).contains("application/fhir+json", "application/fhir+xml");
    assertThat(in.at("/content/application~1fhir+json/schema/$ref").asText()).endsWith("/Bundle");
    assertThat(in.at("/content/application~1fhir+xml/schema/$ref").asText()).endsWith("/Bundle");
    JsonNode ok = api.path("paths").path(processMessage).path("post").path("responses").path("200");
    assertThat(names(ok.path("content")))
        .contains("application/json", "application/fhir+json", "application/fhir+xml");
    assertThat(ok.at("/content/application~1json/schema/$ref").asText())
        .endsWith("/OperationOutcome");
    assertThat(ok.at("/content/application~1fhir+json/schema/$ref").asText()).endsWith("/Bundle");
    assertThat(ok.at("/content/application~1fhir+xml/schema/$ref").asText()).endsWith("/Bundle");
    assertErrors(api, processMessage, "post", "400", "422", "500");
    assertThat(names(schemas.get("Bundle").get("properties")))
        .contains("resourceType", "type", "entry");
    assertThat(names(schemas.get("BundleEntry").get("properties"))).contains("fullUrl", "resource");
  }

  private static void assertErrors(JsonNode api, String path, String method, String... statuses) {
    List<String> errors =
        names(api.path("paths").path(path).path(method).path("responses")).stream()
            .filter(status -> status.charAt(0) == '4' || status.charAt(0) == '5')
            .toList();
    assertThat(errors).as(method + " " + path).containsExactlyInAnyOrder(statuses);
    for (String status : statuses) {
      assertThat(schemaOf(api, path, method, status))
          .as(method + " " + path + " " + status)
          .endsWith("/OperationOutcome");
    }
  }

  /** The schema reference of an operation's response, whatever its media type. */
  private static String schemaOf(JsonNode api, String path, String method, String status) {
    JsonNode content =
        api.path("paths").path(path).path(method).path("responses").path(status).path("content");
    assertThat(content.isObject()).as(path + " " + method + " " + status).isTrue();
    return content.elements().next().path("schema").path("$ref").asText();
  }

  private JsonNode post(GatewayClient client, String path, String body, int status) {
    GatewayClient.Response response = client.post(path, "application/json", bytes(body));
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    return response.json();
  }

  private static JsonNode assertOutcome(
      GatewayClient.Response response, int status, String code, String diagnostics) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/json");
    JsonNode outcome = response.json();
    assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
    JsonNode issue = outcome.get("issue").get(0);
    assertThat(issue.get("severity").asText()).isEqualTo("error");
    assertThat(issue.get("code").asText()).isEqualTo(code);
    assertThat(issue.get("diagnostics").asText()).startsWith(diagnostics);
    return outcome;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
