package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A care-plan version sent again re-serialised (other whitespace and line ends) is the version
 * received before, a duplicate, not "this version was received before with other content"; a
 * version whose plan content changed is still refused.
 */
class PlanResendEndToEndTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void reserialisedVersion_isADuplicate_andChangedPlanContent_isStillRefused() throws IOException {
    ObjectNode plan = (ObjectNode) JSON.readTree(SamplePlans.path("kriseplan.json").toFile());
    plan.put("journalpostId", freshRecordId("PLAN-KRISE-RESEND"));
    plan.put("plannummer", freshRecordId("KRISE-RESEND"));
    byte[] original = JSON.writeValueAsBytes(plan);
    byte[] reserialised =
        JSON.copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(plan)
            .replace("\r\n", "\n")
            .replace("\n", "\r\n")
            .getBytes(StandardCharsets.UTF_8);

    GatewayClient.Response first = post(original);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    GatewayClient.Response again = post(reserialised);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());

    // Only the plan's own content changed (same record id, same version): another version's worth.
    ((ObjectNode) plan.get("kriseplan")).put("tidligeTegn", "Sover dårligt.");
    GatewayClient.Response changed = post(JSON.writeValueAsBytes(plan));
    assertThat(changed.status()).as(changed.body()).isEqualTo(422);
    assertThat(changed.body()).contains("plan-version-exists");
    // Through the pipeline before the test ends: the application is shared with tests that count.
    awaitFinal(first.json().get("id").asText());
  }

  private GatewayClient.Response post(byte[] body) {
    return intakeClient(SamplePlans.SOURCE)
        .post("/api/v1/records/" + SamplePlans.SOURCE, "application/json", body);
  }
}
