package dk.sektorbro.gateway.cluster;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's cluster page: the same view as GET /api/v1/cluster, for operators and admins. */
@Controller
public class ClusterConsoleController {

  private final ClusterView cluster;
  private final WorkMetrics work;

  public ClusterConsoleController(ClusterView cluster, WorkMetrics work) {
    this.cluster = cluster;
    this.work = work;
  }

  @GetMapping("/admin/cluster")
  public String cluster(Model model) {
    model.addAttribute("self", cluster.self());
    model.addAttribute("nodes", cluster.describe());
    model.addAttribute("work", work.status().values());
    return "admin/cluster";
  }
}
