package dk.sektorbro.gateway.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The gateway_node table (V29): every node's heartbeat, inbox leadership and pipeline load. The
 * heartbeat and stop times are the database's clock, and so is the "alive" test: the nodes' own
 * clocks may disagree (a host without NTP, a VM resumed with its old time), and a live node whose
 * clock is behind looked dead to the others, who then took over the journal entries it was working
 * on (ClusterNodesClockSkewTest).
 */
@Repository
public class ClusterNodes {

  /** One node as the cluster sees it; {@code alive} when its heartbeat is recent. */
  public record Node(
      String name,
      String host,
      OffsetDateTime startedAt,
      OffsetDateTime lastHeartbeat,
      OffsetDateTime stoppedAt,
      boolean inboxLeader,
      int inFlight,
      boolean alive) {}

  private final JdbcClient jdbc;
  private final Duration heartbeat;
  private final OffsetDateTime startedAt;

  public ClusterNodes(
      JdbcClient jdbc,
      Clock clock,
      @Value("${gateway.node.heartbeat-interval:5s}") Duration heartbeat) {
    this.jdbc = jdbc;
    this.heartbeat = heartbeat;
    this.startedAt = OffsetDateTime.now(clock);
  }

  public Duration heartbeatInterval() {
    return heartbeat;
  }

  /** This node is alive: its row with the current leadership and load. */
  public void beat(String name, boolean inboxLeader, int inFlight) {
    jdbc.sql(
            """
            INSERT INTO gateway_node (name, host, started_at, last_heartbeat, stopped_at, inbox_leader, in_flight)
            VALUES (:name, :host, :started, clock_timestamp(), NULL, :leader, :inFlight)
            ON CONFLICT (name) DO UPDATE SET last_heartbeat = clock_timestamp(), stopped_at = NULL,
              inbox_leader = :leader, in_flight = :inFlight, started_at = :started""")
        .param("name", name)
        .param("host", host())
        .param("started", startedAt)
        .param("leader", inboxLeader)
        .param("inFlight", inFlight)
        .update();
  }

  /** This node stopped cleanly. */
  public void stopped(String name) {
    jdbc.sql(
            "UPDATE gateway_node SET stopped_at = clock_timestamp(), inbox_leader = FALSE, in_flight = 0"
                + " WHERE name = :name")
        .param("name", name)
        .update();
  }

  /** Every node seen in the last day, newest first; stopped and silent ones are not alive. */
  public List<Node> all() {
    return jdbc.sql(
            """
            SELECT *, stopped_at IS NULL
                AND last_heartbeat > clock_timestamp() - :window * INTERVAL '1 millisecond' AS alive
            FROM gateway_node WHERE last_heartbeat > clock_timestamp() - INTERVAL '1 day'
            ORDER BY started_at DESC""")
        .param("window", heartbeat.multipliedBy(3).toMillis())
        .query(
            (rs, n) -> {
              OffsetDateTime last = rs.getObject("last_heartbeat", OffsetDateTime.class);
              OffsetDateTime stopped = rs.getObject("stopped_at", OffsetDateTime.class);
              return new Node(
                  rs.getString("name"),
                  rs.getString("host"),
                  rs.getObject("started_at", OffsetDateTime.class),
                  last,
                  stopped,
                  rs.getBoolean("inbox_leader"),
                  rs.getInt("in_flight"),
                  rs.getBoolean("alive"));
            })
        .list();
  }

  /** The live nodes other than {@code self}. */
  public List<Node> othersAlive(String self) {
    return all().stream().filter(Node::alive).filter(node -> !node.name().equals(self)).toList();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
