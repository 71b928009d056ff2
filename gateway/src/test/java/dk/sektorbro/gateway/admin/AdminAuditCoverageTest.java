package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every admin action is explainable: each mapped endpoint that can change something (any method but
 * GET, API and console) either writes an audit record naming the action, or is exempt here by name
 * with the reason. An endpoint added without a line in one of the two lists fails {@link
 * #everyChangingEndpoint_isAuditedOrExemptByName}; the actions below are then done successfully by
 * a role allowed to, and the audit log must show the action, the actor and the object.
 */
class AdminAuditCoverageTest extends GatewayIntegrationTest {

  /** Changing endpoints and the audit action a successful call records. */
  private static final Map<String, String> AUDITED =
      Map.ofEntries(
          Map.entry("POST /api/v1/messages/{id}/retry", "RETRY"),
          Map.entry("POST /admin/messages/{id}/retry", "RETRY"),
          Map.entry("POST /api/v1/messages/{id}/resend", "RESEND"),
          Map.entry("POST /admin/messages/{id}/resend", "RESEND"),
          Map.entry("POST /api/v1/messages/retry-failed", "BULK_RETRY"),
          Map.entry("POST /admin/messages/retry-failed", "BULK_RETRY"),
          Map.entry("POST /api/v1/messages/{id}/edit", "EDIT_AND_RETRY"),
          Map.entry("POST /admin/messages/{id}/edit", "EDIT_AND_RETRY"),
          Map.entry("POST /api/v1/messages/{id}/discard", "DISCARD"),
          Map.entry("POST /admin/messages/{id}/discard", "DISCARD"),
          Map.entry("POST /api/v1/messages/{id}/release", "RELEASE"),
          Map.entry("POST /admin/messages/{id}/release", "RELEASE"),
          Map.entry("POST /api/v1/routes/{routeId}/suspend", "SUSPEND_ROUTE"),
          // The console's one form handler for both: SUSPEND_ROUTE or RESUME_ROUTE.
          Map.entry("POST /admin/routes/{routeId}/{action:suspend|resume}", "SUSPEND_ROUTE"),
          Map.entry("POST /api/v1/routes/{routeId}/resume", "RESUME_ROUTE"),
          Map.entry("POST /api/v1/consents", "RECORD_CONSENT"),
          Map.entry("POST /api/v1/consents/{id}/revoke", "REVOKE_CONSENT"),
          Map.entry("POST /api/v1/consents/$import", "IMPORT_CONSENT"),
          Map.entry("POST /api/v1/registry/snapshots", "IMPORT_REGISTRY"),
          Map.entry("POST /api/v1/documents/{id}/delivery/retry", "RETRY_DOCUMENT_DELIVERY"),
          Map.entry("POST /api/v1/inbound-messages/{id}/release", "RELEASE_INBOUND"),
          Map.entry("POST /admin/inbound/{id}/release", "RELEASE_INBOUND"),
          Map.entry("POST /api/v1/inbound-messages/{id}/discard", "DISCARD_INBOUND"),
          Map.entry("POST /admin/inbound/{id}/discard", "DISCARD_INBOUND"));

  /** Changing-method endpoints that write no audit record of their own, and why. */
  private static final Map<String, String> EXEMPT =
      Map.ofEntries(
          // Intake by source systems: every received record is journaled (state, history, why),
          // which is its explanation; a refused source is audited (INTAKE_FORBIDDEN).
          Map.entry("POST /api/v1/records/{source}", "intake: journaled"),
          Map.entry("POST /fhir/$process-message", "intake: journaled"),
          // Reads that carry a CPR number in the body rather than the URL: they change nothing;
          // the consent look-ups are audited as VIEW_PERSONAL_DATA by ConsentAuditTrail.
          Map.entry("POST /api/v1/consents/_search", "read (audited as a view)"),
          Map.entry("POST /api/v1/consents/$export", "read (audited as a view)"),
          Map.entry("POST /api/v1/audit/_search", "read of the audit log itself"),
          Map.entry("POST /admin/messages/filter", "read: the message list's filter"),
          // Dry runs: answer what would happen, store nothing.
          Map.entry("POST /api/v1/registry/resolve", "dry run: resolves, stores nothing"),
          Map.entry("POST /api/v1/mappings/{source}/$test", "dry run: maps, stores nothing"),
          Map.entry("POST /admin/mapping-test", "dry run: maps, stores nothing"),
          // The framework's login form: failures are audited (LOGIN_FAILED/LOGIN_LOCKED).
          Map.entry("POST /login", "framework: failed logins audited by the provider"));

  @Autowired private ApplicationContext context;

  @Test
  void everyChangingEndpoint_isAuditedOrExemptByName() {
    RequestMappingHandlerMapping mapping =
        context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    Set<String> changing = new TreeSet<>();
    mapping
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              for (String pattern : info.getPatternValues()) {
                for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                  if (method != RequestMethod.GET
                      && method != RequestMethod.HEAD
                      && method != RequestMethod.OPTIONS) {
                    changing.add(method + " " + pattern);
                  }
                }
              }
            });
    List<String> unclassified = new ArrayList<>();
    for (String endpoint : changing) {
      if (!AUDITED.containsKey(endpoint) && !EXEMPT.containsKey(endpoint)) {
        unclassified.add(endpoint);
      }
    }
    assertThat(unclassified).as("changing endpoints neither audited nor exempt").isEmpty();
    // And no stale line: each classified endpoint is still mapped (the login form is Spring
    // Security's filter, not a handler mapping).
    Set<String> classified = new TreeSet<>(AUDITED.keySet());
    classified.addAll(EXEMPT.keySet());
    classified.remove("POST /login");
    assertThat(changing).containsAll(classified);
  }

  /**
   * The actions a test can do successfully on a fresh held message, a route and a consent: through
   * the API and through the console's forms, each by a role allowed to; the audit log names the
   * action, the actor and the object (the message id, the route, the consent id).
   */
  @Test
  void successfulActions_eachWriteAnAuditRecord_namingActionActorAndObject() {
    GatewayClient admin = adminClient();
    ConsoleSession console = ConsoleSession.login(base(), "admin", ADMIN_PASSWORD);

    String apiDiscarded = heldMessage();
    assertThat(post(admin, "/api/v1/messages/" + apiDiscarded + "/discard", "{\"reason\":\"a\"}"))
        .isEqualTo(200);
    assertAudited("DISCARD", "admin", apiDiscarded, null);

    String consoleDiscarded = heldMessage();
    consolePost(console, "/admin/messages/" + consoleDiscarded + "/discard", "reason", "by post");
    assertThat(state(consoleDiscarded)).isEqualTo("DISCARDED");
    assertAudited("DISCARD", "admin", consoleDiscarded, null);

    String apiReleased = heldMessage();
    assertThat(
            post(
                admin,
                "/api/v1/messages/" + apiReleased + "/release",
                "{\"legalBasis\":\"current-treatment\",\"justification\":\"acute\"}"))
        .isEqualTo(200);
    assertAudited("RELEASE", "admin", apiReleased, null);

    String consoleReleased = heldMessage();
    consolePost(
        console,
        "/admin/messages/" + consoleReleased + "/release",
        "legalBasis",
        "current-treatment",
        "justification",
        "acute");
    assertAudited("RELEASE", "admin", consoleReleased, null);

    // An operator may suspend no route, but retries: the bulk retry of nothing is still recorded.
    assertThat(
            post(
                operatorClient(),
                "/api/v1/messages/retry-failed",
                "{\"reasonContains\":\"audit coverage none\",\"comment\":\"c\"}"))
        .isEqualTo(200);
    assertAudited("BULK_RETRY", "operator", null, "stage=* reason~audit coverage none");

    assertThat(post(admin, "/api/v1/routes/deliver/suspend", "{\"reason\":\"api\"}"))
        .isEqualTo(200);
    assertThat(post(admin, "/api/v1/routes/deliver/resume", "{\"reason\":\"api\"}")).isEqualTo(200);
    consolePost(console, "/admin/routes/deliver/suspend", "reason", "console");
    consolePost(console, "/admin/routes/deliver/resume", "reason", "console");
    assertAudited("SUSPEND_ROUTE", "admin", null, "deliver");
    assertAudited("RESUME_ROUTE", "admin", null, "deliver");

    String failed = failedMessage();
    assertThat(
            post(operatorClient(), "/api/v1/messages/" + failed + "/retry", "{\"comment\":\"a\"}"))
        .isEqualTo(200);
    assertAudited("RETRY", "operator", failed, null);
    String consoleFailed = failedMessage();
    ConsoleSession operator = ConsoleSession.login(base(), "operator", OPERATOR_PASSWORD);
    consolePost(operator, "/admin/messages/" + consoleFailed + "/retry", "comment", "c");
    assertAudited("RETRY", "operator", consoleFailed, null);

    String apiEdited = failedMessage();
    assertThat(
            post(
                admin,
                "/api/v1/messages/" + apiEdited + "/edit",
                "{\"changes\":{\"recipient.sor\":\"990061000016005\"},\"comment\":\"e\"}"))
        .isEqualTo(200);
    assertAudited("EDIT_AND_RETRY", "admin", apiEdited, null);
    String consoleEdited = failedMessage();
    consolePost(
        console,
        "/admin/messages/" + consoleEdited + "/edit",
        "recipient.sor",
        "990061000016005",
        "comment",
        "e");
    assertAudited("EDIT_AND_RETRY", "admin", consoleEdited, null);

    String sent = sentMessage();
    assertThat(
            post(operatorClient(), "/api/v1/messages/" + sent + "/resend", "{\"comment\":\"r\"}"))
        .isEqualTo(200);
    assertAudited("RESEND", "operator", sent, null);
    awaitState(sent, "SENT", Duration.ofSeconds(60));
    consolePost(operator, "/admin/messages/" + sent + "/resend", "comment", "r2");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        client("auditor", AUDITOR_PASSWORD)
                            .get("/api/v1/audit?action=RESEND&entryId=" + sent)
                            .json()
                            .get("items")
                            .size())
                    .isEqualTo(2));

    // The registry the gateway started with, uploaded again: a new snapshot, the same addresses.
    GatewayClient.Response upload =
        admin.post(
            "/api/v1/registry/snapshots",
            "application/xml",
            TestFiles.read(REPO.resolve("registry/synthetic-sor.xml")));
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);
    assertAudited(
        "IMPORT_REGISTRY", "admin", null, upload.json().get("snapshot").get("id").asText());

    // Another system's consent (one of ours under a new id and citizen), imported.
    String exported = consentTo(freshCpr(), "990051000016007", List.of("medication"));
    String exportedFhir = operatorClient().get("/api/v1/consents/" + exported + "/$fhir").body();
    String importedId = UUID.randomUUID().toString();
    GatewayClient.Response imported =
        admin.post(
            "/api/v1/consents/$import",
            "application/fhir+json",
            exportedFhir.replace(exported, importedId).getBytes(StandardCharsets.UTF_8));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertAudited("IMPORT_CONSENT", "admin", null, importedId);

    String consent = consentTo(freshCpr(), "990051000016007", List.of("medication"));
    assertAudited("RECORD_CONSENT", "admin", null, consent);
    revokeConsent(consent);
    assertAudited("REVOKE_CONSENT", "admin", null, consent);
  }

  /** A message of a citizen without consent: held for consent, its id. */
  private String heldMessage() {
    String id =
        submitJson(
            SOCIAL_PSYCHIATRY,
            withFreshCitizen(
                TestFiles.read(
                    TestFiles.TEST_MESSAGES.resolve(
                        "nordby-socialpsykiatri/koordinering-med-bilag.json")),
                "1204506021",
                freshCpr()));
    awaitState(id, "HELD_CONSENT", Duration.ofSeconds(60));
    return id;
  }

  /** A message of a citizen who refused: failed at the consent gate, its id. */
  private String failedMessage() {
    String cpr = freshCpr();
    GatewayClient.Response refusal =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                """
                {"citizenCpr": "%s", "type": "refusal", "givenBy": {"type": "citizen"},
                 "recipients": [{"kind": "organisation", "sor": "990031000016002"}],
                 "informationCategories": [], "givenAt": "%s",
                 "collectedBy": "Karen Holm", "form": "written"}
                """
                    .formatted(cpr, FhirTimes.ago(Duration.ofDays(1)))
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(refusal.status()).as(refusal.body()).isEqualTo(201);
    String id =
        submitJson(
            SOCIAL_PSYCHIATRY,
            withFreshCitizen(
                TestFiles.read(
                    TestFiles.TEST_MESSAGES.resolve(
                        "nordby-socialpsykiatri/status-efter-udskrivelse.json")),
                "0503455012",
                cpr));
    awaitState(id, "FAILED", Duration.ofSeconds(60));
    return id;
  }

  /** The medication sample to the GP, with the citizen's consent: delivered, its id. */
  private String sentMessage() {
    GatewayClient.Response consent =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                SampleConsents.json(
                        "2802527034", "990051000016007", "current-treatment", List.of("medication"))
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(consent.status()).as(consent.body()).isIn(200, 201, 409);
    String id =
        submitJson(SOCIAL_PSYCHIATRY, TestFiles.medicationQuestion(freshRecordId("AUDIT-COV")));
    awaitState(id, "SENT", Duration.ofSeconds(60));
    return id;
  }

  /** The newest audit record of {@code action} names the actor and the entry or target. */
  private void assertAudited(String action, String actor, String entryId, String target) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode items =
                  client("auditor", AUDITOR_PASSWORD)
                      .get(
                          "/api/v1/audit?action="
                              + action
                              + (entryId == null ? "" : "&entryId=" + entryId))
                      .json()
                      .get("items");
              List<String> found = new ArrayList<>();
              items.forEach(
                  i ->
                      found.add(
                          i.path("actor").asText()
                              + "|"
                              + i.path("entryId").asText(null)
                              + "|"
                              + i.path("target").asText(null)));
              assertThat(found)
                  .as("audit records of " + action)
                  .contains(actor + "|" + entryId + "|" + target);
            });
  }

  private static int post(GatewayClient client, String path, String json) {
    return client.post(path, "application/json", json.getBytes(StandardCharsets.UTF_8)).status();
  }

  private static void consolePost(ConsoleSession session, String path, String... pairs) {
    Map<String, String> form = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      form.put(pairs[i], pairs[i + 1]);
    }
    form.put("_csrf", session.csrf("/admin/routes"));
    assertThat(session.post(path, form).statusCode()).as(path).isEqualTo(302);
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
