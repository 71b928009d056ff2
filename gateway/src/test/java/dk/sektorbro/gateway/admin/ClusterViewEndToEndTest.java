package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.cluster.ClusterView;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.pipeline.RecoveryService;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One node: it reports itself as the inbox leader, and the work engine's kinds, in API, health and
 * console; and its recovery sweep takes over the hand-offs of dead nodes (with nodes written into
 * gateway_node as another node would).
 */
class ClusterViewEndToEndTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";

  @Autowired CamelContext camel;
  @Autowired PipelineDispatcher dispatcher;
  @Autowired RecoveryService recovery;
  @Autowired Journal journal;
  @Autowired ClusterView cluster;
  @Autowired JdbcClient jdbc;

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

  /**
   * Stage hand-offs: a node that dies loses the ids in its in-memory stage queues; its journal rows
   * (owner_node) are the durable hand-off. Three entries stand in the three unfinished states, their
   * queued ids gone, owned by a node whose heartbeat stopped; a fourth belongs to a live, busy node.
   * The sweep takes over the first three at once and never the live node's, until that node dies too.
   */
  @Test
  void theSweepTakesOverTheUnfinishedEntriesOfADeadNode_andNeverThoseOfALiveNode() throws Exception {
    SampleConsents.recordAll(client("admin", ADMIN_PASSWORD));
    List<Path> samples = TestFiles.validSamples(SOURCE);
    camel.getRouteController().stopRoute(RouteIds.DELIVER);
    String validated = submitJson(SOURCE, TestFiles.read(samples.get(0)));
    awaitState(validated, "VALIDATED");
    camel.getRouteController().stopRoute(RouteIds.VALIDATE);
    String translated = submitJson(SOURCE, TestFiles.read(samples.get(1)));
    awaitState(translated, "TRANSLATED");
    camel.getRouteController().stopRoute(RouteIds.TRANSLATE);
    camel.getRouteController().stopRoute(RouteIds.GATES);
    String received = submitJson(SOURCE, TestFiles.read(samples.get(2)));
    String ofLiveNode = submitJson(SOURCE, TestFiles.read(samples.get(3)));
    await().atMost(Duration.ofSeconds(10)).until(() -> queued(RouteIds.GATES) == 2);
    assertThat(List.of(queued(RouteIds.TRANSLATE), queued(RouteIds.VALIDATE), queued(RouteIds.DELIVER)))
        .containsExactly(0, 1, 1);

    // The node dies: its queues are gone, its heartbeat stops. Another node is alive and busy.
    RouteIds.STAGES.forEach(stage -> camel.getEndpoint(dispatcher.queueUri(stage), SedaEndpoint.class).getQueue().clear());
    node("node-dead", OffsetDateTime.now().minusMinutes(10));
    node("node-busy", OffsetDateTime.now());
    own("node-dead", validated, translated, received);
    own("node-busy", ofLiveNode);
    for (String stage : RouteIds.STAGES) {
      camel.getRouteController().startRoute(stage);
    }

    recovery.sweep();
    for (String id : List.of(validated, translated, received)) {
      awaitState(id, "SENT");
      assertThat(journal.owner(id)).contains(cluster.self());
      assertThat(journal.history(id)).filteredOn(e -> e.state() == MessageState.SENT).hasSize(1);
    }
    recovery.sweep();
    assertThat(journalEntry(ofLiveNode).path("state").asText()).isEqualTo("RECEIVED");
    assertThat(journal.owner(ofLiveNode)).contains("node-busy");

    node("node-busy", OffsetDateTime.now().minusMinutes(10));
    recovery.sweep();
    awaitState(ofLiveNode, "SENT");
    assertThat(journal.owner(ofLiveNode)).contains(cluster.self());
  }

  private int queued(String stage) {
    return camel.getEndpoint(dispatcher.queueUri(stage), SedaEndpoint.class).getCurrentQueueSize();
  }

  private void node(String name, OffsetDateTime heartbeat) {
    jdbc.sql("""
            INSERT INTO gateway_node (name, host, started_at, last_heartbeat, inbox_leader, in_flight)
            VALUES (:name, 'elsewhere', :started, :beat, FALSE, 1)
            ON CONFLICT (name) DO UPDATE SET last_heartbeat = :beat""")
        .param("name", name).param("started", OffsetDateTime.now().minusHours(1)).param("beat", heartbeat).update();
  }

  private void own(String node, String... ids) {
    jdbc.sql("UPDATE journal_entry SET owner_node = :node WHERE id IN (:ids)")
        .param("node", node).param("ids", List.of(ids)).update();
  }
}
