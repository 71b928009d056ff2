package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A consent names the citizen (CPR), who gave it and for what: that a citizen consents to share
 * "substance misuse" with a psychiatric ward is health information. Reading it is audited as
 * reading a message's personal data is (VIEW_PERSONAL_DATA, with the reader), by every way the API
 * offers: the citizen's list, one consent, its FHIR form and the FHIR export.
 */
class ConsentReadAuditEndToEndTest extends GatewayIntegrationTest {

  @Test
  void everyReadOfAConsent_isAuditedWithTheReader() {
    String cpr = freshCpr();
    String consent = consentTo(cpr, "990031000016002", List.of("social-conditions"));
    GatewayClient operator = operatorClient();

    for (String read :
        List.of(
            "/api/v1/consents?cpr=" + cpr,
            "/api/v1/consents/" + consent,
            "/api/v1/consents/" + consent + "/$fhir",
            "/api/v1/consents/$export?cpr=" + cpr)) {
      GatewayClient.Response answer = operator.get(read);
      assertThat(answer.status()).as(read + ": " + answer.body()).isEqualTo(200);
    }

    GatewayClient.Response audit =
        client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit?action=VIEW_PERSONAL_DATA&size=200");
    assertThat(audit.status()).as(audit.body()).isEqualTo(200);
    List<String> reasons = new ArrayList<>();
    for (JsonNode item : audit.json().get("items")) {
      if (consent.equals(item.path("target").asText())) {
        assertThat(item.get("actor").asText()).isEqualTo("operator");
        reasons.add(item.get("reason").asText());
      }
    }
    assertThat(reasons)
        .as(audit.body())
        .containsExactlyInAnyOrder(
            "consent read via the citizen's consent list",
            "consent read via one consent",
            "consent read via one consent as FHIR",
            "consent read via the FHIR export");
    // The audit log names the consent; the citizen only masked (CitizenLookUpsEndToEndTest).
    assertThat(audit.body()).doesNotContain(cpr);
  }

  @Test
  void aLookUpThatFindsNothing_isAuditedToo_theCitizenNeverWhole() {
    // A citizen without consents: that an operator looked is itself a read of personal data.
    String nobody = freshCpr();
    int before = nothingFound().size();
    assertThat(operatorClient().get("/api/v1/consents?cpr=" + nobody).json().get("total").asInt())
        .isZero();
    assertThat(adminClient().get("/api/v1/consents/$export?cpr=" + nobody).status()).isEqualTo(200);
    List<JsonNode> after = nothingFound();
    assertThat(after).as("look-ups that found nothing, audited").hasSize(before + 2);
    assertThat(after.subList(0, 2))
        .extracting(item -> item.get("actor").asText() + ": " + item.get("reason").asText())
        .containsExactlyInAnyOrder(
            "operator: consent look-up via the citizen's consent list: no consent found",
            "admin: consent look-up via the FHIR export: no consent found");
    assertThat(after.get(0).path("target").isMissingNode() || after.get(0).path("target").isNull())
        .as("no target (the citizen is in its own column, CitizenLookUpsEndToEndTest)")
        .isTrue();
    assertThat(auditText()).doesNotContain(nobody);
  }

  @Test
  void aLookUpWithTheCprInTheBody_answersAsTheList_andIsAuditedAlike() {
    String cpr = freshCpr();
    String consent = consentTo(cpr, "990031000016002", List.of("social-conditions"));
    GatewayClient operator = operatorClient();

    // The CPR number in the body, not in the URL a reverse proxy's access log keeps.
    GatewayClient.Response found = search(operator, cpr);
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    assertThat(found.json().get("total").asInt()).isEqualTo(1);
    assertThat(found.json().get("items").get(0).get("id").asText()).isEqualTo(consent);
    assertThat(found.json())
        .as("the same answer as the list's")
        .isEqualTo(operator.get("/api/v1/consents?cpr=" + cpr).json());

    String nobody = freshCpr();
    int before = nothingFound().size();
    assertThat(search(operator, nobody).json().get("total").asInt()).isZero();
    List<JsonNode> after = nothingFound();
    assertThat(after).hasSize(before + 1);
    assertThat(after.get(0).get("reason").asText())
        .isEqualTo("consent look-up via the consent search: no consent found");

    List<String> reasons = new ArrayList<>();
    for (JsonNode item :
        client("auditor", AUDITOR_PASSWORD)
            .get("/api/v1/audit?action=VIEW_PERSONAL_DATA&size=200")
            .json()
            .get("items")) {
      if (consent.equals(item.path("target").asText())) {
        assertThat(item.get("actor").asText()).isEqualTo("operator");
        reasons.add(item.get("reason").asText());
      }
    }
    assertThat(reasons)
        .containsExactlyInAnyOrder(
            "consent read via the consent search", "consent read via the citizen's consent list");
    assertThat(auditText()).doesNotContain(cpr).doesNotContain(nobody);

    // Refused as the list is: a CPR number that is not one, a body that is not JSON, a role that
    // may not read consents.
    assertThat(search(operator, "123").status()).isEqualTo(422);
    assertThat(
            operator
                .post(
                    "/api/v1/consents/_search",
                    "application/json",
                    "[1,".getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(400);
    assertThat(search(intakeClient(), cpr).status()).isEqualTo(403);
  }

  private static GatewayClient.Response search(GatewayClient client, String cpr) {
    return client.post(
        "/api/v1/consents/_search",
        "application/json",
        ("{\"cpr\": \"" + cpr + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  /** The audit log's look-ups that found nothing, newest first. */
  private List<JsonNode> nothingFound() {
    GatewayClient.Response audit =
        client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit?action=VIEW_PERSONAL_DATA&size=200");
    assertThat(audit.status()).as(audit.body()).isEqualTo(200);
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode item : audit.json().get("items")) {
      if (item.get("reason").asText().endsWith(": no consent found")) {
        found.add(item);
      }
    }
    return found;
  }

  private String auditText() {
    return client("auditor", AUDITOR_PASSWORD)
        .get("/api/v1/audit?action=VIEW_PERSONAL_DATA&size=200")
        .body();
  }
}
