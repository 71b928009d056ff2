package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.platform.RouteIds;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
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
  // Only the heartbeat's timer thread reads and writes these.
  private int lastLoad;
  private boolean loadUnreadable;

  public ClusterHeartbeat(
      ClusterNodes nodes,
      NodeIdentity self,
      InboxLeadership leadership,
      NodeLoad load,
      ClusterRoutes routes) {
    this.routes = routes;
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
    nodes.beat(self.name(), leader, currentLoad());
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
}
