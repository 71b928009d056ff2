package dk.sektorbro.gateway.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A text with the character U+0000 (NUL, valid in JSON as {@code \u0000} and in a URL as {@code
 * %00}) cannot be stored by PostgreSQL. Intake refuses it in records by its own rule; everywhere
 * else (an admin's comment, a consent's fields, a list filter) it reached the database and the
 * caller got a 500 "internal error ... send it again", which sending again can never fix. It is the
 * caller's input: a 400 that says so, and nothing changed.
 */
class NulCharacterEndToEndTest extends GatewayIntegrationTest {

  private static final String NUL = "\\u0000";

  @Test
  void aNulInAnAdminComment_isRefusedAsBadInput_andTheMessageIsUnchanged() throws IOException {
    String cpr = freshCpr();
    Response refusal = adminClient().post("/api/v1/consents", "application/json", refusal(cpr, ""));
    assertThat(refusal.status()).as(refusal.body()).isEqualTo(201);
    byte[] sample =
        Files.readAllBytes(
            TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json"));
    String id = submitJson("nordby-socialpsykiatri", withFreshCitizen(sample, "0503455012", cpr));
    awaitState(id, "FAILED");
    int events = journalEntry(id).get("history").size();

    Response retry =
        operatorClient()
            .post(
                "/api/v1/messages/" + id + "/retry",
                "application/json",
                ("{\"comment\": \"fixed" + NUL + "\"}").getBytes(StandardCharsets.UTF_8));

    assertRefusedForNul(retry);
    assertThat(state(id)).isEqualTo("FAILED");
    assertThat(journalEntry(id).get("history").size()).isEqualTo(events);
  }

  @Test
  void aNulInAConsentField_isRefusedAsBadInput_andNothingIsRecorded() {
    String cpr = freshCpr();
    GatewayClient admin = adminClient();

    Response recorded =
        admin.post("/api/v1/consents", "application/json", refusal(cpr, "Karen" + NUL + " Holm"));

    assertRefusedForNul(recorded);
    assertThat(admin.get("/api/v1/consents?cpr=" + cpr).json().get("total").asInt()).isZero();
  }

  @Test
  void aNulInAListFilter_isRefusedAsBadInput() {
    assertRefusedForNul(operatorClient().get("/api/v1/messages?recipient=%00"));
    assertRefusedForNul(operatorClient().get("/api/v1/messages?source=nordby%00"));
  }

  private static void assertRefusedForNul(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).contains("json");
    assertThat(response.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(response.json().get("issue").get(0).get("diagnostics").asText())
        .contains("U+0000")
        .doesNotContain("internal error");
  }

  private static byte[] refusal(String cpr, String collectedBy) {
    return """
        {"citizenCpr": "%s", "type": "refusal", "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "organisation", "sor": "990031000016002"}],
         "informationCategories": [], "givenAt": "%s",
         "collectedBy": "%s", "form": "written"}
        """
        .formatted(
            cpr,
            FhirTimes.ago(Duration.ofDays(1)),
            collectedBy.isEmpty() ? "Karen Holm" : collectedBy)
        .getBytes(StandardCharsets.UTF_8);
  }
}
