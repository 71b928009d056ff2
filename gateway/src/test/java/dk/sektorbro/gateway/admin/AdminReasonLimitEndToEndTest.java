package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every admin action's comment or reason goes into the audit log, whose column holds 4000
 * characters. An admin who pasted a longer text (a log excerpt at night) got 500 "internal error,
 * send it again"; a route suspension was by then already applied cluster-wide, without its audit
 * record. A longer text is refused up front, naming the limit, and nothing is done.
 */
class AdminReasonLimitEndToEndTest extends GatewayIntegrationTest {

  private static final String TOO_LONG = "x".repeat(4001);

  @Test
  void suspendWithAReasonOverTheLimit_isRefused_andTheRouteKeepsRunning() {
    try {
      Response refused =
          adminClient()
              .post(
                  "/api/v1/routes/translate/suspend",
                  "application/json",
                  ("{\"reason\": \"" + TOO_LONG + "\"}").getBytes(StandardCharsets.UTF_8));

      assertRefusedForLength(refused, "reason");
      assertThat(translateStatus()).isEqualTo("Started");
    } finally {
      resumeTranslate();
    }
  }

  private void resumeTranslate() {
    if (!"Started".equals(translateStatus())) {
      adminClient()
          .post(
              "/api/v1/routes/translate/resume",
              "application/json",
              "{\"reason\": \"test cleanup\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  // A NUL cannot be stored either: refused before the route is touched, not after.
  @Test
  void suspendWithANulInTheReason_isRefused_andTheRouteKeepsRunning() {
    try {
      Response refused =
          adminClient()
              .post(
                  "/api/v1/routes/translate/suspend",
                  "application/json",
                  "{\"reason\": \"maintenance\\u0000\"}".getBytes(StandardCharsets.UTF_8));

      assertThat(refused.status()).as(refused.body()).isEqualTo(400);
      assertThat(refused.body()).contains("U+0000");
      assertThat(translateStatus()).isEqualTo("Started");
    } finally {
      resumeTranslate();
    }
  }

  @Test
  void retryWithACommentOverTheLimit_isRefused_andTheMessageIsUnchanged_4000IsFine()
      throws IOException {
    String cpr = freshCpr();
    Response refusal =
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
    byte[] sample =
        Files.readAllBytes(
            TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json"));
    String id = submitJson("nordby-socialpsykiatri", withFreshCitizen(sample, "0503455012", cpr));
    awaitState(id, "FAILED");
    int events = journalEntry(id).get("history").size();

    Response refused = retry(id, TOO_LONG);

    assertRefusedForLength(refused, "comment");
    assertThat(state(id)).isEqualTo("FAILED");
    assertThat(journalEntry(id).get("history").size()).isEqualTo(events);
    Response accepted = retry(id, "y".repeat(4000));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
  }

  private Response retry(String id, String comment) {
    return retry(operatorClient(), id, comment);
  }

  private String translateStatus() {
    for (JsonNode route : operatorClient().get("/api/v1/routes").json()) {
      if (route.get("id").asText().equals("translate")) {
        return route.get("status").asText();
      }
    }
    throw new AssertionError("no route translate");
  }

  private static void assertRefusedForLength(Response response, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(response.json().get("issue").get(0).get("diagnostics").asText())
        .isEqualTo(field + ": 4001 characters, over the limit of 4000");
  }
}
