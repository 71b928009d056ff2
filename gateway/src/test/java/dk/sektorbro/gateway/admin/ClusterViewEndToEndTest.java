package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One node: it reports itself as the inbox leader, and the work engine's kinds, in API, health and console. */
class ClusterViewEndToEndTest extends GatewayIntegrationTest {

  @Test
  void theNodeShowsItselfAsLeader_withItsHeartbeat_andEveryKindOfWork() throws Exception {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode cluster = operatorClient().get("/api/v1/cluster").json();
      assertThat(cluster.get("inboxLeader").asBoolean()).isTrue();
      JsonNode self = cluster.get("nodes").get(0);
      assertThat(self.get("name").asText()).isEqualTo(cluster.get("node").asText());
      assertThat(self.get("alive").asBoolean()).isTrue();
      assertThat(self.get("inboxLeader").asBoolean()).isTrue();
      assertThat(self.get("lastHeartbeat").asText()).isNotBlank();
    });
    List<String> kinds = new ArrayList<>();
    operatorClient().get("/api/v1/cluster").json().get("work").forEach(kind -> kinds.add(kind.get("kind").asText()));
    assertThat(kinds).contains("message-delivery", "document-delivery", "consent-hold-sweep", "retention",
        "recovery-sweep");

    JsonNode health = operatorClient().get("/actuator/health").json();
    assertThat(health.at("/components/cluster/status").asText()).isEqualTo("UP");
    assertThat(health.at("/components/cluster/details/inboxLeader").asBoolean()).isTrue();

    String page = ConsoleSession.login("http://localhost:" + port, "operator", OPERATOR_PASSWORD)
        .get("/admin/cluster").body();
    assertThat(page).contains("id=\"nodes\"", "(this node)", "message-delivery");

    assertThat(operatorClient().get("/actuator/prometheus").body())
        .contains("gateway_work_due{", "kind=\"message-delivery\"", "gateway_work_oldest_age");
  }
}
