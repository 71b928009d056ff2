package dk.sektorbro.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.platform.DatabaseClock;
import dk.sektorbro.gateway.support.MigratedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
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

  /**
   * The gateway's clock (DatabaseClock) on a host two minutes behind: the heartbeat still shows the
   * host's skew, and corrects the gateway's time to the database's.
   */
  @Test
  void theHeartbeatShowsTheHostsSkew_andCorrectsTheGatewaysClockToTheDatabases() {
    DataSource database = MigratedPostgres.start().getPostgresDatabase();
    JdbcClient jdbc = JdbcClient.create(database);
    DatabaseClock clock =
        new DatabaseClock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));
    ClusterNodes behind = new ClusterNodes(jdbc, clock, HEARTBEAT);

    ClusterNodes.Beat beat = behind.beat("node-behind", false, 0, SAME);

    assertThat(beat.clockSkew().toMillis()).isBetween(-125_000L, -115_000L);
    OffsetDateTime databaseNow =
        jdbc.sql("SELECT clock_timestamp()").query(OffsetDateTime.class).single();
    assertThat(Duration.between(databaseNow.toInstant(), clock.instant()).abs())
        .as("the gateway's time against the database's")
        .isLessThan(DatabaseClock.TOLERANCE.plusMillis(500));
  }
}
