package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who entered a consent (domain.md §3.3: collected by whom, witnessed): the form's collector and
 * witness are in the record, and the gateway user who recorded or revoked it through the API is in
 * the audit log, so the consent a decision names can be traced to the account that entered it.
 * Codes and ids only: never the citizen.
 */
class ConsentAuditEndToEndTest extends GatewayIntegrationTest {

  @Test
  void recordingAndRevokingAConsent_areAuditedWithTheUser_withoutTheCitizen() {
    String cpr = freshCpr();
    String id = consentTo(cpr, "990031000016002", List.of("medication"));
    revokeConsent(id);

    JsonNode recorded = auditOf("RECORD_CONSENT", id);
    assertThat(recorded.get("actor").asText()).isEqualTo("admin");
    assertThat(recorded.get("detail").asText()).contains("consent", "form written", "witnessed");
    JsonNode revoked = auditOf("REVOKE_CONSENT", id);
    assertThat(revoked.get("actor").asText()).isEqualTo("admin");
    assertThat(revoked.get("detail").asText()).contains("revoked at");
    assertThat(recorded.toString() + revoked).doesNotContain(cpr).doesNotContain("Karen Holm");
  }

  /** The audit record of {@code action} on consent {@code id}, as an auditor reads it. */
  private JsonNode auditOf(String action, String id) {
    GatewayClient.Response page =
        client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit?action=" + action + "&size=200");
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    for (JsonNode item : page.json().get("items")) {
      if (id.equals(item.path("target").asText())) {
        return item;
      }
    }
    throw new AssertionError(
        "no " + action + " audit record for consent " + id + ": " + page.body());
  }
}
