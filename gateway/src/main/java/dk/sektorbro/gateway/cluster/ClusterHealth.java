package dk.sektorbro.gateway.cluster;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * This node in /actuator/health ("cluster"): its name, whether it reads the folders, the nodes of
 * the cluster with their last heartbeat and what they hold, and the work engine's numbers per kind.
 * Always UP: a node without the inbox leadership still takes REST intake and runs shared work.
 */
@Component("cluster")
public class ClusterHealth implements HealthIndicator {

  private final ClusterView cluster;
  private final InboxLeadership leadership;
  private final WorkMetrics work;

  public ClusterHealth(ClusterView cluster, InboxLeadership leadership, WorkMetrics work) {
    this.cluster = cluster;
    this.leadership = leadership;
    this.work = work;
  }

  @Override
  public Health health() {
    return Health.up()
        .withDetail("node", cluster.self())
        .withDetail("inboxLeader", leadership.isLeader())
        .withDetail("nodes", cluster.describe())
        .withDetail("work", work.status().values())
        .build();
  }
}
