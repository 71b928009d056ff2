package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.DatabaseBackedHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * This node in /actuator/health ("cluster"): its name, whether it reads the folders, the nodes of
 * the cluster with their last heartbeat and what they hold, and the work engine's numbers per kind.
 * UP without the inbox leadership too (such a node still takes REST intake and runs shared work);
 * DOWN while another live process heartbeats under this node's name (ClusterHeartbeat).
 */
@Component("cluster")
public class ClusterHealth implements HealthIndicator, DatabaseBackedHealth {

  private final ClusterView cluster;
  private final InboxLeadership leadership;
  private final WorkMetrics work;
  private final ClusterHeartbeat heartbeat;

  public ClusterHealth(
      ClusterView cluster,
      InboxLeadership leadership,
      WorkMetrics work,
      ClusterHeartbeat heartbeat) {
    this.heartbeat = heartbeat;
    this.cluster = cluster;
    this.leadership = leadership;
    this.work = work;
  }

  @Override
  public Health health() {
    return (heartbeat.nameShared() ? Health.down() : Health.up())
        .withDetail("node", cluster.self())
        .withDetail("otherProcessWithThisName", heartbeat.nameShared())
        .withDetail("inboxLeader", leadership.isLeader())
        .withDetail("nodesWithOtherConfiguration", cluster.otherConfigurations())
        .withDetail("nodes", cluster.describe())
        .withDetail("work", work.status().values())
        .build();
  }
}
