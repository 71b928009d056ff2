package dk.sektorbro.gateway.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
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

  @GetMapping("/api/v1/cluster")
  public Map<String, Object> cluster() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", cluster.self());
    body.put("inboxLeader", leadership.isLeader());
    body.put("nodes", cluster.describe());
    body.put("work", work.status().values());
    return body;
  }
}
