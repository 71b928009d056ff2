package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Every node, every {@code gateway.node.heartbeat-interval}: take or keep the inbox leadership and
 * apply the cluster's route settings an admin changed on another node (ClusterRoutes); write this
 * node's row (heartbeat, leadership, pipeline load). The first beat runs as Camel starts,
 * so a lone node reads its inbox at once.
 */
@Component
public class ClusterHeartbeat extends RouteBuilder implements DisposableBean {

  public static final String ROUTE_ID = "node-heartbeat";

  private final ClusterNodes nodes;
  private final NodeIdentity self;
  private final InboxLeadership leadership;
  private final NodeLoad load;
  private final ClusterRoutes routes;

  public ClusterHeartbeat(ClusterNodes nodes, NodeIdentity self, InboxLeadership leadership,
      NodeLoad load, ClusterRoutes routes) {
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
        .bean(this, "beat").id("beat");
  }

  public void beat() {
    boolean wasLeader = leadership.isLeader();
    boolean leader = leadership.check(routes.suspended());
    if (leader && !wasLeader) {
      routes.forgetFolderRoutes(leadership.folderRoutes());
    }
    routes.apply(leader, leadership.folderRoutes());
    nodes.beat(self.name(), leader, load.inFlight());
  }

  /** Applies an admin's route setting on this node now (the others do at their next heartbeat). */
  public void applyRouteSettings() {
    routes.apply(leadership.isLeader(), leadership.folderRoutes());
  }

  @Override
  public void destroy() {
    try {
      nodes.stopped(self.name());
    } catch (RuntimeException e) {
      // the database may be gone already; the row then simply ages out
    }
  }
}
