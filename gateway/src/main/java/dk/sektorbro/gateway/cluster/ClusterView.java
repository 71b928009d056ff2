package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.cluster.ClusterNodes.Node;
import dk.sektorbro.gateway.platform.NodeIdentity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The cluster as this node sees it: the nodes, and the work each one is running right now. */
@Component
public class ClusterView {

  private final ClusterNodes nodes;
  private final NodeIdentity self;
  private final JdbcClient jdbc;
  private final NodeConfiguration configuration;

  public ClusterView(
      ClusterNodes nodes, NodeIdentity self, JdbcClient jdbc, NodeConfiguration configuration) {
    this.configuration = configuration;
    this.nodes = nodes;
    this.self = self;
    this.jdbc = jdbc;
  }

  public String self() {
    return self.name();
  }

  public List<Node> nodes() {
    return nodes.all();
  }

  public List<Node> othersAlive() {
    return nodes.othersAlive(self.name());
  }

  /** Live nodes running another schema version or other mappings than this node. */
  public List<String> otherConfigurations() {
    return nodes.othersAliveConfiguredOtherwise(self.name(), configuration);
  }

  /** Per node name: work it holds in the engine right now, counted per kind. */
  public Map<String, Map<String, Long>> runningWork() {
    Map<String, Map<String, Long>> held = new LinkedHashMap<>();
    jdbc.sql(
            "SELECT picked_by, task_name, COUNT(*) AS n FROM scheduled_tasks WHERE picked"
                + " GROUP BY picked_by, task_name ORDER BY picked_by, task_name")
        .query(
            rs -> {
              held.computeIfAbsent(
                      String.valueOf(rs.getString("picked_by")), name -> new LinkedHashMap<>())
                  .put(rs.getString("task_name"), rs.getLong("n"));
            });
    return held;
  }

  /**
   * One node as the API, health and console show it: times as text, {@code stoppedAt} null while it
   * runs, the inbox leadership only of a live node, the engine's work it holds per kind, and
   * whether its schema version or mappings differ from this node's, and how far its clock was off
   * the database's at its last heartbeat (milliseconds, positive: ahead).
   */
  public record NodeView(
      String name,
      boolean self,
      String host,
      boolean alive,
      String startedAt,
      String lastHeartbeat,
      String stoppedAt,
      boolean inboxLeader,
      int pipelineInFlight,
      Map<String, Long> runningWork,
      String schemaVersion,
      String mappings,
      boolean configurationDiffers,
      Long clockSkewMillis) {}

  /** Nodes with what each holds (inbox leadership, running work), for health, API and console. */
  public List<NodeView> describe() {
    Map<String, Map<String, Long>> running = runningWork();
    return nodes().stream()
        .map(
            node ->
                new NodeView(
                    node.name(),
                    node.name().equals(self.name()),
                    node.host(),
                    node.alive(),
                    String.valueOf(node.startedAt()),
                    String.valueOf(node.lastHeartbeat()),
                    node.stoppedAt() == null ? null : node.stoppedAt().toString(),
                    node.inboxLeader() && node.alive(),
                    node.inFlight(),
                    running.getOrDefault(node.name(), Map.of()),
                    node.schemaVersion(),
                    node.mappings(),
                    node.differsFrom(configuration),
                    node.clockSkewMillis()))
        .toList();
  }
}
