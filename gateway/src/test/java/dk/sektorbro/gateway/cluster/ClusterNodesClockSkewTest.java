package dk.sektorbro.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes on one database whose clocks disagree (a host without NTP, a VM resumed with its old
 * time): whether a node is alive must not depend on them. A live node taken for dead has its
 * unfinished journal entries taken over by the recovery sweep while it still works on them (every
 * stage then done twice), and a node that starts then resumes every node's entries as its own.
 */
class ClusterNodesClockSkewTest {

  private static final Duration HEARTBEAT = Duration.ofSeconds(5);
  private static final NodeConfiguration SAME = new NodeConfiguration("47.1", "0123456789abcdef");

  @Test
  void aNodeWhoseClockIsBehind_isAliveForTheOthers() {
    JdbcClient jdbc = JdbcClient.create(MigratedPostgres.start().getPostgresDatabase());
    ClusterNodes behind =
        new ClusterNodes(jdbc, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)), HEARTBEAT);
    ClusterNodes onTime = new ClusterNodes(jdbc, Clock.systemUTC(), HEARTBEAT);

    behind.beat("node-behind", false, 3, SAME);
    onTime.beat("node-on-time", true, 0, SAME);

    assertThat(onTime.othersAlive("node-on-time"))
        .as("the node two minutes behind beat just now: it is alive")
        .extracting(ClusterNodes.Node::name)
        .containsExactly("node-behind");
    assertThat(behind.othersAlive("node-behind"))
        .extracting(ClusterNodes.Node::name)
        .containsExactly("node-on-time");
  }

  @Test
  void aDeadNodeWhoseClockWasAhead_isNotAliveLongerThanThreeHeartbeats() throws Exception {
    JdbcClient jdbc = JdbcClient.create(MigratedPostgres.start().getPostgresDatabase());
    ClusterNodes ahead =
        new ClusterNodes(jdbc, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)), HEARTBEAT);
    ClusterNodes fast = new ClusterNodes(jdbc, Clock.systemUTC(), Duration.ofMillis(100));

    ahead.beat("node-ahead", false, 3, SAME);
    Thread.sleep(400); // more than three of the observer's heartbeats: the node is gone

    assertThat(fast.othersAlive("node-observer"))
        .as("a node silent for four heartbeats is dead, however far ahead its clock was")
        .isEmpty();
  }
}
