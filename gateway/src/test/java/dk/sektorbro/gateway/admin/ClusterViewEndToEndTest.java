package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.cluster.ClusterHeartbeat;
import dk.sektorbro.gateway.cluster.ClusterRoutes;
import dk.sektorbro.gateway.cluster.ClusterView;
import dk.sektorbro.gateway.cluster.InboxLeadership;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.pipeline.RecoveryService;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One node: it reports itself as the inbox leader, and the work engine's kinds, in API, health and
 * console; and its recovery sweep takes over the hand-offs of dead nodes (with nodes written into
 * gateway_node as another node would).
 */
// The test applications beat every second instead of five (GatewayIntegrationTest), so the leader
// takes up another node's route setting within a second (the waits below).
class ClusterViewEndToEndTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";

  @Autowired CamelContext camel;
  @Autowired PipelineDispatcher dispatcher;
  @Autowired RecoveryService recovery;
  @Autowired Journal journal;
  @Autowired ClusterView cluster;
  @Autowired JdbcClient jdbc;
  @Autowired ClusterRoutes clusterRoutes;
  @Autowired InboxLeadership leadership;

  @Test
  void theNodeShowsItselfAsLeader_withItsHeartbeat_andEveryKindOfWork() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode cluster = operatorClient().get("/api/v1/cluster").json();
              assertThat(cluster.get("inboxLeader").asBoolean()).isTrue();
              JsonNode self = cluster.get("nodes").get(0);
              assertThat(self.get("name").asText()).isEqualTo(cluster.get("node").asText());
              assertThat(self.get("alive").asBoolean()).isTrue();
              assertThat(self.get("inboxLeader").asBoolean()).isTrue();
              assertThat(self.get("lastHeartbeat").asText()).isNotBlank();
            });
    List<String> kinds = new ArrayList<>();
    operatorClient()
        .get("/api/v1/cluster")
        .json()
        .get("work")
        .forEach(kind -> kinds.add(kind.get("kind").asText()));
    assertThat(kinds)
        .contains(
            "message-delivery",
            "document-delivery",
            "consent-hold-sweep",
            "retention",
            "recovery-sweep");

    JsonNode health = operatorClient().get("/actuator/health").json();
    assertThat(health.at("/components/cluster/status").asText()).isEqualTo("UP");
    assertThat(health.at("/components/cluster/details/inboxLeader").asBoolean()).isTrue();

    String page =
        ConsoleSession.login("http://localhost:" + port, "operator", OPERATOR_PASSWORD)
            .get("/admin/cluster")
            .body();
    assertThat(page).contains("id=\"nodes\"", "(this node)", "message-delivery");
    // What several nodes must agree on, for the admin at night (docs/cluster.md).
    assertThat(page).contains("Schema and mappings", "as this node", "Clock off the database");

    assertThat(operatorClient().get("/actuator/prometheus").body())
        .contains("gateway_work_due{", "kind=\"message-delivery\"", "gateway_work_oldest_age");
  }

  /**
   * Stage hand-offs: a node that dies loses the ids in its in-memory stage queues; its journal rows
   * (owner_node) are the durable hand-off. Three entries stand in the three unfinished states,
   * their queued ids gone, owned by a node whose heartbeat stopped; a fourth belongs to a live,
   * busy node. The sweep takes over the first three at once and never the live node's, until that
   * node dies too.
   */
  @Test
  void theSweepTakesOverTheUnfinishedEntriesOfADeadNode_andNeverThoseOfALiveNode()
      throws Exception {
    SampleConsents.recordAll(adminClient());
    // Under record ids of their own: other classes in the shared application post the same samples.
    List<Path> samples = TestFiles.validSamples(SOURCE);
    camel.getRouteController().stopRoute(RouteIds.DELIVER);
    String validated = submitJson(SOURCE, withFreshId(TestFiles.read(samples.get(0))));
    awaitState(validated, "VALIDATED");
    camel.getRouteController().stopRoute(RouteIds.VALIDATE);
    String translated = submitJson(SOURCE, withFreshId(TestFiles.read(samples.get(1))));
    awaitState(translated, "TRANSLATED");
    camel.getRouteController().stopRoute(RouteIds.TRANSLATE);
    camel.getRouteController().stopRoute(RouteIds.GATES);
    String received = submitJson(SOURCE, withFreshId(TestFiles.read(samples.get(2))));
    String ofLiveNode = submitJson(SOURCE, withFreshId(TestFiles.read(samples.get(3))));
    await().atMost(Duration.ofSeconds(10)).until(() -> queued(RouteIds.GATES) >= 2);

    // The node dies: its queues are gone, its heartbeat stops. Another node is alive and busy.
    // (only these ids: the application may be shared with other test classes)
    List<String> ours = List.of(validated, translated, received, ofLiveNode);
    RouteIds.STAGES.forEach(
        stage ->
            camel
                .getEndpoint(dispatcher.queueUri(stage), SedaEndpoint.class)
                .getQueue()
                .removeIf(exchange -> ours.contains(exchange.getIn().getBody(String.class))));
    node("node-dead", OffsetDateTime.now().minusMinutes(10));
    node("node-busy", OffsetDateTime.now());
    own("node-dead", validated, translated, received);
    own("node-busy", ofLiveNode);
    // The busy node is alive: it beats (faster than this node's 1 s interval) until it dies below,
    // also while ours go through, so the scheduled sweep never finds it silent either.
    ScheduledExecutorService busyNode = Executors.newSingleThreadScheduledExecutor();
    try {
      node("node-busy", OffsetDateTime.now());
      busyNode.scheduleAtFixedRate(
          () -> node("node-busy", OffsetDateTime.now()), 300, 300, TimeUnit.MILLISECONDS);
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
    } finally {
      busyNode.shutdownNow();
      busyNode.awaitTermination(5, TimeUnit.SECONDS);
    }

    node("node-busy", OffsetDateTime.now().minusMinutes(10));
    recovery.sweep();
    awaitState(ofLiveNode, "SENT");
    assertThat(journal.owner(ofLiveNode)).contains(cluster.self());
  }

  /**
   * Admin actions from any node: a route suspension is the cluster's (route_setting), applied where
   * the route runs. Here another node's suspend and resume of this leader's folder route take
   * effect at this node's next heartbeat; this node's own API writes the setting for the others;
   * and a node that is not the leader never starts a folder route on a resume.
   */
  @Test
  void aFolderRouteSuspendedOrResumedOnAnyNode_takesEffectOnTheLeader_andNeverStartsOnAnotherNode()
      throws Exception {
    String folder = RouteIds.INTAKE_FILE_PREFIX + SOURCE;
    await().atMost(Duration.ofSeconds(30)).until(() -> status(folder) == ServiceStatus.Started);

    setting(folder, true, OffsetDateTime.now());
    await().atMost(Duration.ofSeconds(20)).until(() -> status(folder) == ServiceStatus.Suspended);
    setting(folder, false, OffsetDateTime.now());
    await().atMost(Duration.ofSeconds(20)).until(() -> status(folder) == ServiceStatus.Started);

    GatewayClient admin = adminClient();
    byte[] why = "{\"reason\":\"cluster test\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(
            admin.post("/api/v1/routes/" + folder + "/suspend", "application/json", why).status())
        .isEqualTo(200);
    assertThat(status(folder)).isEqualTo(ServiceStatus.Suspended);
    assertThat(
            jdbc.sql("SELECT suspended FROM route_setting WHERE route_id = :r")
                .param("r", folder)
                .query(Boolean.class)
                .single())
        .isTrue();
    assertThat(admin.post("/api/v1/routes/" + folder + "/resume", "application/json", why).status())
        .isEqualTo(200);
    assertThat(status(folder)).isEqualTo(ServiceStatus.Started);

    // Not the leader: the folder route is stopped there, and a resume leaves it stopped (this
    // node's
    // heartbeat, which would start it again as the leader, paused meanwhile).
    camel.getRouteController().suspendRoute(ClusterHeartbeat.ROUTE_ID);
    camel.getRouteController().stopRoute(folder);
    try {
      setting(folder, false, OffsetDateTime.now());
      clusterRoutes.apply(false, leadership.folderRoutes());
      assertThat(status(folder)).isEqualTo(ServiceStatus.Stopped);
    } finally {
      camel.getRouteController().resumeRoute(ClusterHeartbeat.ROUTE_ID);
      await().atMost(Duration.ofSeconds(20)).until(() -> status(folder) == ServiceStatus.Started);
    }
  }

  private ServiceStatus status(String routeId) {
    return camel.getRouteController().getRouteStatus(routeId);
  }

  /** As another node's admin action writes it. */
  private void setting(String routeId, boolean suspended, OffsetDateTime at) {
    jdbc.sql(
            """
            INSERT INTO route_setting (route_id, suspended, changed_at, changed_by, changed_on)
            VALUES (:r, :s, :at, 'admin', 'node-elsewhere')
            ON CONFLICT (route_id) DO UPDATE SET suspended = :s, changed_at = :at, changed_on = 'node-elsewhere'""")
        .param("r", routeId)
        .param("s", suspended)
        .param("at", at)
        .update();
  }

  /**
   * An entry of this node's whose queued id was lost (an outage interrupted its stage, a full
   * queue) is resumed while the pipeline is busy, not only once every pipeline is idle: under
   * steady traffic that could take hours. An entry a queue still holds is never queued twice.
   */
  @Test
  void theSweepResumesThisNodesDroppedEntry_whileThePipelineIsBusy_andNeverOneItHolds()
      throws Exception {
    SampleConsents.recordAll(adminClient());
    List<Path> samples = TestFiles.validSamples(SOURCE);
    camel.getRouteController().stopRoute(RouteIds.GATES);
    String held = submitJson(SOURCE, withFreshId(TestFiles.read(samples.get(0))));
    String dropped = submitJson(SOURCE, withFreshId(TestFiles.read(samples.get(1))));
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> queuedTimes(held) == 1 && queuedTimes(dropped) == 1);
      gatesQueue().removeIf(exchange -> dropped.equals(exchange.getIn().getBody(String.class)));
      // Both last touched before gateway.pipeline.stalled-after; only one is still held here.
      jdbc.sql(
              "UPDATE journal_entry SET updated_at = now() - interval '10 minutes'"
                  + " WHERE id IN (:ids)")
          .param("ids", List.of(held, dropped))
          .update();
      assertThat(dispatcher.idle()).as("the pipeline is busy").isFalse();

      recovery.sweep();

      assertThat(queuedTimes(dropped)).as("the dropped entry, queued again").isPositive();
      assertThat(queuedTimes(held)).as("the entry its queue holds, not twice").isEqualTo(1);
    } finally {
      camel.getRouteController().startRoute(RouteIds.GATES);
    }
    for (String id : List.of(held, dropped)) {
      awaitState(id, "SENT");
      assertThat(journal.history(id)).filteredOn(e -> e.state() == MessageState.SENT).hasSize(1);
    }
  }

  private BlockingQueue<Exchange> gatesQueue() {
    return camel.getEndpoint(dispatcher.queueUri(RouteIds.GATES), SedaEndpoint.class).getQueue();
  }

  private long queuedTimes(String id) {
    return gatesQueue().stream()
        .filter(exchange -> id.equals(exchange.getIn().getBody(String.class)))
        .count();
  }

  private int queued(String stage) {
    return camel.getEndpoint(dispatcher.queueUri(stage), SedaEndpoint.class).getCurrentQueueSize();
  }

  private void node(String name, OffsetDateTime heartbeat) {
    jdbc.sql(
            """
            INSERT INTO gateway_node (name, host, started_at, last_heartbeat, inbox_leader, in_flight)
            VALUES (:name, 'elsewhere', :started, :beat, FALSE, 1)
            ON CONFLICT (name) DO UPDATE SET last_heartbeat = :beat""")
        .param("name", name)
        .param("started", OffsetDateTime.now().minusHours(1))
        .param("beat", heartbeat)
        .update();
  }

  private void own(String node, String... ids) {
    jdbc.sql("UPDATE journal_entry SET owner_node = :node WHERE id IN (:ids)")
        .param("node", node)
        .param("ids", List.of(ids))
        .update();
  }
}
