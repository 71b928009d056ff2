package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.admin.ConsoleSession;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Looking a citizen up by CPR number without the number in a URL (the consent export with the CPR
 * in the body, the console's message filter posted), and the audit log saying which citizen was
 * looked up, also when nothing was found: in the database (searchable by an auditor, shown masked),
 * never in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class CitizenLookUpsEndToEndTest extends GatewayIntegrationTest {

  private static final String WARD_SOR = "990031000016002";

  @Autowired private ApplicationContext context;

  @Test
  void theFhirExport_takesTheCprInTheBody_andTheAuditNamesTheCitizen_foundOrNot(
      CapturedOutput log) {
    String cpr = freshCpr();
    String consent = consentTo(cpr, WARD_SOR, List.of("social-conditions"));
    String nobody = freshCpr();
    GatewayClient operator = operatorClient();

    GatewayClient.Response bundle = export(operator, hyphenated(cpr), "");
    assertThat(bundle.status()).as(bundle.body()).isEqualTo(200);
    assertThat(bundle.json().get("resourceType").asText()).isEqualTo("Bundle");
    assertThat(bundle.json().get("total").asInt()).isEqualTo(1);
    assertThat(bundle.body()).contains(consent);
    GatewayClient.Response ndjson = export(operator, cpr, "?_format=ndjson");
    assertThat(ndjson.status()).isEqualTo(200);
    assertThat(ndjson.body().lines()).singleElement().asString().contains(consent);
    GatewayClient.Response none = export(operator, nobody, "");
    assertThat(none.json().get("total").asInt()).isZero();

    // Refused as the GET is: no CPR number, no JSON, a role that may not read consents.
    assertThat(export(operator, "123", "").status()).isEqualTo(422);
    assertThat(
            operator
                .post(
                    "/api/v1/consents/$export",
                    "application/json",
                    "cpr=1".getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(400);
    assertThat(export(intakeClient(), cpr, "").status()).isEqualTo(403);

    GatewayClient auditor = client("auditor", AUDITOR_PASSWORD);
    JsonNode ofNobody = auditOf(auditor, hyphenated(nobody));
    assertThat(ofNobody.get("total").asInt()).as(ofNobody.toString()).isEqualTo(1);
    JsonNode lookUp = ofNobody.get("items").get(0);
    assertThat(lookUp.get("actor").asText()).isEqualTo("operator");
    assertThat(lookUp.get("action").asText()).isEqualTo("VIEW_PERSONAL_DATA");
    assertThat(lookUp.get("reason").asText())
        .isEqualTo("consent look-up via the FHIR export (POST): no consent found");
    assertThat(lookUp.get("citizen").asText()).isEqualTo(nobody.substring(0, 6) + "-xxxx");

    List<String> ofCitizen = new ArrayList<>();
    for (JsonNode item : auditOf(auditor, cpr).get("items")) {
      assertThat(item.get("target").asText()).isEqualTo(consent);
      ofCitizen.add(item.get("reason").asText());
    }
    assertThat(ofCitizen)
        .containsExactly(
            "consent read via the FHIR export (POST)", "consent read via the FHIR export (POST)");
    // The audit log of one citizen is the auditor's (and admin's), not the operator's.
    assertThat(
            operator
                .post(
                    "/api/v1/audit/_search",
                    "application/json",
                    ("{\"cpr\":\"" + cpr + "\"}").getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(403);
    assertThat(
            auditor
                .post(
                    "/api/v1/audit/_search",
                    "application/json",
                    "{\"cpr\":\"12\"}".getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(422);

    assertThat(log.getAll())
        .doesNotContain(cpr)
        .doesNotContain(hyphenated(cpr))
        .doesNotContain(nobody)
        .doesNotContain(hyphenated(nobody));
  }

  @Test
  void theConsoleFilterByCitizen_isPosted_theListsUrlCarriesAHandle_andTheLookUpIsAudited(
      CapturedOutput log) {
    String cpr = freshCpr();
    String id =
        submitJson(SOCIAL_PSYCHIATRY, json(socialNote(hyphenated(cpr), freshRecordId("F"))));
    ConsoleSession operator =
        ConsoleSession.login("http://localhost:" + port, "operator", OPERATOR_PASSWORD);

    Map<String, String> form = new LinkedHashMap<>();
    form.put("state", "");
    form.put("source", SOCIAL_PSYCHIATRY);
    form.put("cpr", hyphenated(cpr));
    form.put("_csrf", operator.csrf("/admin/messages"));
    HttpResponse<String> posted = operator.post("/admin/messages/filter", form);
    assertThat(posted.statusCode()).isEqualTo(302);
    String list = posted.headers().firstValue("Location").orElseThrow();
    assertThat(list)
        .contains("/admin/messages?source=" + SOCIAL_PSYCHIATRY)
        .containsPattern("citizen=[0-9a-f]{18}")
        .doesNotContain(cpr)
        .doesNotContain(cpr.substring(0, 6));

    String page = operator.get(list.substring(list.indexOf("/admin"))).body();
    assertThat(page).contains(id).contains(cpr.substring(0, 6) + "-xxxx").doesNotContain(cpr);
    assertThat(page).contains("<span id=\"total\">1</span>");

    // The handle is this session's: another user's session does not know it.
    ConsoleSession other =
        ConsoleSession.login("http://localhost:" + port, "admin", ADMIN_PASSWORD);
    assertThat(other.get(list.substring(list.indexOf("/admin"))).body())
        .doesNotContain(id)
        .contains("<span id=\"total\">0</span>");

    // A hand-made or bookmarked ?cpr= still filters, and is a look-up all the same.
    assertThat(other.get("/admin/messages?cpr=" + cpr).body()).contains(id);

    JsonNode audited = auditOf(client("auditor", AUDITOR_PASSWORD), cpr);
    assertThat(audited.get("items"))
        .extracting(item -> item.get("actor").asText() + ": " + item.get("reason").asText())
        .containsExactly(
            "admin: message list filtered by citizen (console)",
            "operator: message list filtered by citizen (console)");

    assertThat(log.getAll()).doesNotContain(cpr).doesNotContain(hyphenated(cpr));
  }

  /**
   * A CPR number wherever a caller can put one in a URL (every mapped endpoint, the number as each
   * path variable and as every query parameter the endpoints read) and in a body: answered, and
   * never in the log or the metrics, whatever the answer was (404, 400, 422, a refusal).
   */
  @Test
  void aCprInAnyUrlOrBody_ofEveryEndpoint_reachesNeitherTheLogNorTheMetrics(CapturedOutput log) {
    String cpr = freshCpr();
    String query =
        Stream.of(
                "cpr",
                "page",
                "size",
                "state",
                "since",
                "source",
                "recipient",
                "action",
                "entryId",
                "from",
                "to",
                "legalBasis",
                "sender",
                "format",
                "_format",
                "personal",
                "citizen")
            .map(p -> p + "=" + cpr)
            .collect(Collectors.joining("&"));
    byte[] body =
        ("{\"cpr\":\"" + cpr + "\",\"comment\":\"" + cpr + "\"}").getBytes(StandardCharsets.UTF_8);
    GatewayClient admin = adminClient();
    ConsoleSession console =
        ConsoleSession.login("http://localhost:" + port, "admin", ADMIN_PASSWORD);
    List<String> tried = new ArrayList<>();
    context
        .getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
        .getHandlerMethods()
        .forEach(
            (info, handler) -> {
              for (String pattern : info.getPatternValues()) {
                if (pattern.equals("/error") || pattern.equals("/login")) {
                  continue;
                }
                String path = pattern.replaceAll("\\{[^}]+}", cpr) + "?" + query;
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                if (methods.isEmpty() || methods.contains(RequestMethod.GET)) {
                  if (pattern.startsWith("/admin")) {
                    console.get(path);
                  } else {
                    admin.get(path);
                  }
                  tried.add("GET " + pattern);
                }
                // Console posts need the form's token; the API's posts are tried with a body.
                if (methods.contains(RequestMethod.POST) && !pattern.startsWith("/admin")) {
                  admin.post(path, "application/json", body);
                  tried.add("POST " + pattern);
                }
              }
            });
    assertThat(tried).hasSizeGreaterThan(50);

    String metrics = admin.get("/actuator/prometheus").body();
    assertThat(metrics).doesNotContain(cpr);
    assertThat(log.getAll()).doesNotContain(cpr).doesNotContain(cpr.substring(0, 6) + "-");
  }

  private static GatewayClient.Response export(GatewayClient client, String cpr, String query) {
    return client.post(
        "/api/v1/consents/$export" + query,
        "application/json",
        ("{\"cpr\":\"" + cpr + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode auditOf(GatewayClient auditor, String cpr) {
    GatewayClient.Response answer =
        auditor.post(
            "/api/v1/audit/_search",
            "application/json",
            ("{\"cpr\":\"" + cpr + "\",\"size\":200}").getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }
}
