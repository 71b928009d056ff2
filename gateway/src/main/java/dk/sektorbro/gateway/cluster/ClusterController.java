package dk.sektorbro.gateway.cluster;

import java.util.Collection;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/v1/cluster: the nodes, their last heartbeat and what they hold, and the work per kind.
 */
@RestController
public class ClusterController {

  private final ClusterView cluster;
  private final InboxLeadership leadership;
  private final WorkMetrics work;

  public ClusterController(ClusterView cluster, InboxLeadership leadership, WorkMetrics work) {
    this.cluster = cluster;
    this.leadership = leadership;
    this.work = work;
  }

  /** This node, whether it reads the inboxes, every node on the database and the work per kind. */
  public record ClusterStatus(
      String node,
      boolean inboxLeader,
      List<ClusterView.NodeView> nodes,
      Collection<WorkMetrics.KindStatus> work) {}

  @GetMapping("/api/v1/cluster")
  public ClusterStatus cluster() {
    return new ClusterStatus(
        cluster.self(), leadership.isLeader(), cluster.describe(), work.status().values());
  }
}
