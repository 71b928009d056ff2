package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.DatabaseClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
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
      boolean alive,
      String schemaVersion,
      String mappings,
      Long clockSkewMillis) {

    /** Whether this node runs with another schema version or other mappings than {@code own}. */
    public boolean differsFrom(NodeConfiguration own) {
      return !own.schema().equals(schemaVersion) || !own.mappings().equals(mappings);
    }
  }

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration heartbeat;
  private final OffsetDateTime startedAt;
  // This process's mark on its row, to see another process writing the same row.
  private final String instance = UUID.randomUUID().toString();
  private volatile boolean beaten;

  public ClusterNodes(
      JdbcClient jdbc,
      Clock clock,
      @Value("${gateway.node.heartbeat-interval:5s}") Duration heartbeat) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.heartbeat = heartbeat;
    this.startedAt = OffsetDateTime.now(clock);
  }

  public Duration heartbeatInterval() {
    return heartbeat;
  }

  /**
   * What one heartbeat found: how far this node's clock is ahead of the database's (negative:
   * behind), whether another process wrote this node's row since this one's last beat (two live
   * processes started with one node name), and the database's schema floor (SchemaFloor; read by
   * the same statement).
   */
  public record Beat(Duration clockSkew, boolean otherProcessWithThisName, String schemaFloor) {}

  /** This node is alive: its row with the current leadership, load and configuration. */
  public Beat beat(
      String name, boolean inboxLeader, int inFlight, NodeConfiguration configuration) {
    Beat beat =
        jdbc.sql(
                """
            WITH before AS (SELECT instance_id FROM gateway_node WHERE name = :name)
            INSERT INTO gateway_node (name, host, started_at, last_heartbeat, stopped_at, inbox_leader, in_flight,
              schema_version, mappings_sha256, clock_skew_ms, instance_id)
            VALUES (:name, :host, :started, clock_timestamp(), NULL, :leader, :inFlight, :schema, :mappings,
              EXTRACT(EPOCH FROM (:jvmNow - clock_timestamp())) * 1000, :instance)
            ON CONFLICT (name) DO UPDATE SET last_heartbeat = clock_timestamp(), stopped_at = NULL,
              inbox_leader = :leader, in_flight = :inFlight, started_at = :started,
              schema_version = :schema, mappings_sha256 = :mappings,
              clock_skew_ms = EXCLUDED.clock_skew_ms, instance_id = :instance
            RETURNING clock_skew_ms, (SELECT instance_id FROM before) AS previous,
              (SELECT min_version FROM schema_floor) AS floor""")
            // The node's own clock, not the corrected one: the skew shown is the host's.
            .param("jvmNow", OffsetDateTime.now(ownClock()))
            .param("schema", configuration.schema())
            .param("mappings", configuration.mappings())
            .param("instance", instance)
            .param("name", name)
            .param("host", host())
            .param("started", startedAt)
            .param("leader", inboxLeader)
            .param("inFlight", inFlight)
            .query(
                (rs, n) ->
                    new Beat(
                        Duration.ofMillis(rs.getLong("clock_skew_ms")),
                        // The first beat may overwrite a predecessor's row (a restart under the
                        // same name); after that, the row is this process's until someone else
                        // writes it.
                        beaten && !instance.equals(rs.getString("previous")),
                        rs.getString("floor")))
            .single();
    beaten = true;
    if (clock instanceof DatabaseClock corrected) {
      corrected.correct(beat.clockSkew());
    }
    return beat;
  }

  private Clock ownClock() {
    return clock instanceof DatabaseClock corrected ? corrected.system() : clock;
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
                  rs.getBoolean("alive"),
                  rs.getString("schema_version"),
                  rs.getString("mappings_sha256"),
                  rs.getObject("clock_skew_ms", Long.class));
            })
        .list();
  }

  /** The live nodes other than {@code self}. */
  public List<Node> othersAlive(String self) {
    return all().stream().filter(Node::alive).filter(node -> !node.name().equals(self)).toList();
  }

  /**
   * Live nodes other than {@code self} with another schema version or other mappings than {@code
   * own}.
   */
  public List<String> othersAliveConfiguredOtherwise(String self, NodeConfiguration own) {
    return othersAlive(self).stream()
        .filter(node -> node.differsFrom(own))
        .map(Node::name)
        .toList();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
