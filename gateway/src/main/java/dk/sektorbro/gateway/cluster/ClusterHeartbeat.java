package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.platform.RouteIds;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Every node, every {@code gateway.node.heartbeat-interval}: take or keep the inbox leadership and
 * apply the cluster's route settings an admin changed on another node (ClusterRoutes); write this
 * node's row (heartbeat, leadership, pipeline load). The first beat runs as Camel starts, so a lone
 * node reads its inbox at once.
 */
@Component
public class ClusterHeartbeat extends RouteBuilder implements DisposableBean {

  public static final String ROUTE_ID = "node-heartbeat";

  private static final Logger log = LoggerFactory.getLogger(ClusterHeartbeat.class);

  private final ClusterNodes nodes;
  private final NodeIdentity self;
  private final InboxLeadership leadership;
  private final NodeLoad load;
  private final ClusterRoutes routes;
  private final NodeConfiguration configuration;
  // Only the heartbeat's timer thread reads and writes these.
  private int lastLoad;
  private boolean loadUnreadable;
  private Set<String> differing = Set.of();
  private boolean clockOff;
  private volatile boolean nameShared;
  private final Runnable stopThisNode;
  private boolean stopping;

  @Autowired
  public ClusterHeartbeat(
      ClusterNodes nodes,
      NodeIdentity self,
      InboxLeadership leadership,
      NodeLoad load,
      ClusterRoutes routes,
      NodeConfiguration configuration,
      ConfigurableApplicationContext context) {
    // Closed from a thread of its own: the heartbeat's route is one of the things it stops.
    this(
        nodes,
        self,
        leadership,
        load,
        routes,
        configuration,
        () -> new Thread(context::close, "below-schema-floor-stop").start());
  }

  ClusterHeartbeat(
      ClusterNodes nodes,
      NodeIdentity self,
      InboxLeadership leadership,
      NodeLoad load,
      ClusterRoutes routes,
      NodeConfiguration configuration,
      Runnable stopThisNode) {
    this.stopThisNode = stopThisNode;
    this.routes = routes;
    this.configuration = configuration;
    this.nodes = nodes;
    this.self = self;
    this.leadership = leadership;
    this.load = load;
  }

  @Override
  public void configure() {
    from("timer:" + ROUTE_ID + "?delay=0&period=" + nodes.heartbeatInterval().toMillis())
        .routeId(ROUTE_ID)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(this, "beat")
        .id("beat");
  }

  public void beat() {
    boolean wasLeader = leadership.isLeader();
    boolean leader = leadership.check(routes.suspended());
    if (leader && !wasLeader) {
      routes.forgetFolderRoutes(leadership.folderRoutes());
    }
    routes.apply(leader, leadership.folderRoutes());
    ClusterNodes.Beat beat = nodes.beat(self.name(), leader, currentLoad(), configuration);
    noticeSchemaFloor(beat.schemaFloor());
    noticeClockSkew(beat.clockSkew());
    noticeNameShared(beat.otherProcessWithThisName());
    noticeOtherConfigurations();
  }

  /**
   * A newer node migrated the database past what this node's code may run against while this one
   * ran (its start had found the floor lower): it stops, as a SIGTERM would stop it, rather than
   * misread the tables (SchemaFloor). The migration refuses while nodes below it are alive, so this
   * is a node that started during that migration.
   */
  private void noticeSchemaFloor(String floor) {
    if (!stopping && SchemaFloor.below(configuration.schema(), floor)) {
      stopping = true;
      log.error(
          "this node stops: its code knows the schema up to V{}, and a newer version raised the"
              + " database's schema floor to {}; run the newer version on this node",
          configuration.schema(),
          floor);
      stopThisNode.run();
    }
  }

  /** Whether another live process wrote this node's row since its last heartbeat. */
  public boolean nameShared() {
    return nameShared;
  }

  /**
   * Two live processes with one {@code GATEWAY_NODE_NAME} look like one node to the cluster: a
   * restart of either resumes the other's journal entries as its own (both then work on them), and
   * neither's entries are taken over when it dies while the other lives. Never right: logged as an
   * error and health DOWN until the other process stops writing the row.
   */
  private void noticeNameShared(boolean shared) {
    if (shared && !nameShared) {
      log.error(
          "another live process heartbeats as node {}: give every node its own GATEWAY_NODE_NAME",
          self.name());
    } else if (!shared && nameShared) {
      log.info("no other process heartbeats as node {} any more", self.name());
    }
    nameShared = shared;
  }

  /**
   * Logs once when this node's clock is more than {@link #SKEW_WARNING} off the database's (and
   * once when it is back): the gateway reads the database's time (platform.DatabaseClock, corrected
   * by this heartbeat's measurement), but a host clock that far off is still the host's to fix
   * (NTP), and a jump between two heartbeats is not corrected before the next.
   */
  private void noticeClockSkew(Duration skew) {
    boolean off = skew.abs().compareTo(SKEW_WARNING) > 0;
    if (off != clockOff) {
      if (off) {
        log.warn(
            "this node's clock is {} ms {} the database's: keep the nodes' clocks in step (NTP)",
            skew.abs().toMillis(),
            skew.isNegative() ? "behind" : "ahead of");
      } else {
        log.info("this node's clock is in step with the database's again");
      }
      clockOff = off;
    }
  }

  /**
   * Logs once when a live node runs another schema version or other mappings than this one (and
   * once when none does any more): in a rolling upgrade for a while, otherwise a misconfigured
   * node. The cluster view and health show the same.
   */
  private void noticeOtherConfigurations() {
    Set<String> now =
        new TreeSet<>(nodes.othersAliveConfiguredOtherwise(self.name(), configuration));
    if (!now.equals(differing)) {
      if (now.isEmpty()) {
        log.info("every live node has this node's schema version and mappings again");
      } else {
        log.warn(
            "live nodes with another schema version or other mappings than this node"
                + " (schema={} mappings={}): {}",
            configuration.schema(),
            configuration.mappings(),
            now);
      }
      differing = Set.copyOf(now);
    }
  }

  /**
   * The pipeline's load, or the last one read when reading it fails: the row says this node is
   * alive, and a node whose heartbeat stopped over a load figure would look dead to the others
   * while it still works (a bug in the load read once did exactly that for as long as the node
   * ran).
   */
  private int currentLoad() {
    try {
      lastLoad = load.inFlight();
      if (loadUnreadable) {
        loadUnreadable = false;
        log.info("pipeline load readable again: the heartbeat publishes it");
      }
    } catch (RuntimeException e) {
      if (!loadUnreadable) {
        loadUnreadable = true;
        log.warn(
            "pipeline load not readable: the heartbeat publishes the last one read cause={}",
            e.getClass().getSimpleName());
      }
    }
    return lastLoad;
  }

  /** Applies an admin's route setting on this node now (the others do at their next heartbeat). */
  public void applyRouteSettings() {
    routes.apply(leadership.isLeader(), leadership.folderRoutes());
  }

  /**
   * Marks this node stopped, waiting at most {@link #STOP_MARK_PATIENCE}: at JVM exit the database
   * may already be gone, and a connection wait (30 s) would hold the shutdown hook past what a
   * supervisor or test runner allows. Without the mark the row simply ages out.
   */
  @Override
  public void destroy() {
    try {
      CompletableFuture.runAsync(() -> nodes.stopped(self.name()))
          .get(STOP_MARK_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // the database is gone or slow; the row ages out
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final Duration STOP_MARK_PATIENCE = Duration.ofSeconds(3);

  /** Well inside the work engine's 20 s before it revives a silent node's work. */
  static final Duration SKEW_WARNING = Duration.ofSeconds(2);
}
