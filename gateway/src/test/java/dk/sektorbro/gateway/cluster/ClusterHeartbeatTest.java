package dk.sektorbro.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.support.MigratedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A node's heartbeat on real PostgreSQL: the row that tells the other nodes this one is alive is
 * written even when the pipeline's load cannot be read, or the others would take it for dead while
 * it works (a load read that threw once stopped a restarted node's heartbeat for good).
 */
class ClusterHeartbeatTest {

  private MigratedPostgres postgres;
  private JdbcClient jdbc;
  private InboxLeadership leadership;
  private final AtomicReference<IntSupplier> load = new AtomicReference<>(() -> 0);
  private ClusterHeartbeat heartbeat;
  private final AtomicInteger stops = new AtomicInteger();

  @BeforeEach
  void start() {
    postgres = MigratedPostgres.start();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    Clock clock = new SecondPerReading();
    ClusterNodes nodes = new ClusterNodes(jdbc, clock, Duration.ofSeconds(5));
    NodeIdentity self = new NodeIdentity("node-a");
    leadership = new InboxLeadership(postgres.getPostgresDatabase());
    // A context not started: the route settings are not applied, as in a node's first beat.
    ClusterRoutes routes = new ClusterRoutes(jdbc, new DefaultCamelContext(), self, clock);
    heartbeat =
        new ClusterHeartbeat(
            nodes,
            self,
            leadership,
            () -> load.get().getAsInt(),
            routes,
            new NodeConfiguration("47.1", "0123456789abcdef"),
            stops::incrementAndGet);
  }

  @AfterEach
  void stop() throws Exception {
    leadership.destroy();
  }

  @Test
  void theRowCarriesTheLoad_andTheLeadershipTheNodeTook() {
    load.set(() -> 7);

    heartbeat.beat();

    assertThat(inFlight()).isEqualTo(7);
    assertThat(
            jdbc.sql("SELECT inbox_leader FROM gateway_node WHERE name = 'node-a'")
                .query(Boolean.class)
                .single())
        .isTrue();
  }

  @Test
  void anUnreadableLoad_stillRefreshesTheHeartbeat_withTheLastLoadRead_untilItIsReadableAgain() {
    load.set(() -> 3);
    heartbeat.beat();
    OffsetDateTime first = lastHeartbeat();

    load.set(
        () -> {
          throw new NullPointerException("queue not there yet");
        });
    heartbeat.beat();

    assertThat(lastHeartbeat()).isAfter(first);
    assertThat(inFlight()).isEqualTo(3);

    load.set(() -> 0);
    heartbeat.beat();
    assertThat(inFlight()).isZero();
  }

  /**
   * A node that started while a newer node's migration raised the schema floor above its code (its
   * start found the floor lower) stops at its next heartbeat, once; a floor at or below its code
   * keeps it running.
   */
  @Test
  void aSchemaFloorRaisedAboveThisNodesCode_stopsTheNode_once() {
    heartbeat.beat();
    jdbc.sql("UPDATE schema_floor SET min_version = '47.1'").update();
    heartbeat.beat();
    assertThat(stops).as("stops at its own version").hasValue(0);

    jdbc.sql("UPDATE schema_floor SET min_version = '47.2'").update();
    heartbeat.beat();
    heartbeat.beat();

    assertThat(stops).as("stops above its version").hasValue(1);
  }

  private int inFlight() {
    return jdbc.sql("SELECT in_flight FROM gateway_node WHERE name = 'node-a'")
        .query(Integer.class)
        .single();
  }

  private OffsetDateTime lastHeartbeat() {
    return jdbc.sql("SELECT last_heartbeat FROM gateway_node WHERE name = 'node-a'")
        .query(OffsetDateTime.class)
        .single();
  }

  /** A clock one second later at each reading, so every beat has a heartbeat of its own. */
  private static final class SecondPerReading extends Clock {
    private Instant now = Instant.parse("2026-12-07T03:00:00Z");

    @Override
    public synchronized Instant instant() {
      now = now.plusSeconds(1);
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
