package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cross-site request forgery against the HTTP Basic API. A browser that has been given an admin's
 * Basic credentials (the Swagger UI, an API URL opened by hand) keeps sending them to the gateway,
 * also when another site's page posts there: a form (text/plain, urlencoded, multipart) or a
 * no-cors fetch (text/plain) needs no CORS permission. Such requests must change nothing; JSON and
 * XML types need a CORS preflight, which the gateway never grants.
 */
class CrossSiteApiRequestsTest extends GatewayIntegrationTest {

  private static final String WARD_SOR = "990031000016002";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A page elsewhere posts a consent, as the gateway's own FHIR export writes one, to the import
   * with the admin's cached credentials: the citizen must not have a consent nobody gave.
   */
  @Test
  void consentImport_inAFormsContentType_isRefused_andNoConsentIsRegistered() throws Exception {
    String cpr = freshCpr();
    String genuine = consentTo(cpr, WARD_SOR, List.of("social-conditions"));
    GatewayClient.Response export = operatorClient().get("/api/v1/consents/" + genuine + "/$fhir");
    assertThat(export.status()).as(export.body()).isEqualTo(200);
    for (String formType :
        List.of(
            "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x")) {
      String forgedId = UUID.randomUUID().toString();
      ObjectNode forged = (ObjectNode) JSON.readTree(export.body());
      forged.put("id", forgedId);

      GatewayClient.Response answer =
          adminClient()
              .post(
                  "/api/v1/consents/$import",
                  formType,
                  JSON.writeValueAsString(forged).getBytes(StandardCharsets.UTF_8));

      assertThat(answer.status()).as(formType + ": " + answer.body()).isEqualTo(415);
      assertThat(answer.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
      assertThat(operatorClient().get("/api/v1/consents/" + forgedId).status())
          .as(formType)
          .isEqualTo(404);
    }
  }

  /** A form that posts an address registry (SOR XML fits a text/plain form) is refused unread. */
  @Test
  void registryUpload_inAFormsContentType_isRefusedBeforeItIsRead() {
    GatewayClient.Response answer =
        adminClient()
            .post(
                "/api/v1/registry/snapshots",
                "text/plain",
                "<?xml version=\"1.0\"?><broken".getBytes(StandardCharsets.UTF_8));

    assertThat(answer.status()).as(answer.body()).isEqualTo(415);
  }

  /** Revoking is a JSON request: the same revocation as a form changes nothing. */
  @Test
  void consentRevocation_inAFormsContentType_leavesTheConsentInForce() {
    String genuine = consentTo(freshCpr(), WARD_SOR, List.of("social-conditions"));

    GatewayClient.Response answer =
        adminClient()
            .post(
                "/api/v1/consents/" + genuine + "/revoke",
                "text/plain",
                "{\"revokedBy\": \"Karen Holm\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(answer.status()).as(answer.body()).isEqualTo(415);
    assertThat(operatorClient().get("/api/v1/consents/" + genuine).json().get("status").asText())
        .isEqualTo("active");
  }
}
