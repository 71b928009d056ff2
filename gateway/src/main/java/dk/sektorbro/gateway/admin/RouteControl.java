package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.cluster.ClusterHeartbeat;
import dk.sektorbro.gateway.cluster.ClusterRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The gateway's Camel routes: state and counters for the console (this node's), suspend and resume
 * for the whole cluster (ClusterRoutes: recorded in the database, applied by every node). A
 * suspended stage keeps its queue; ids wait there (or in the journal, where recovery finds them)
 * until the route is resumed.
 */
@Service
public class RouteControl {

  private static final Logger log = LoggerFactory.getLogger(RouteControl.class);

  private final CamelContext camel;
  private final MeterRegistry meters;
  private final AdminQueries queries;
  private final AuditLog audit;

  private final ClusterRoutes clusterRoutes;
  private final ClusterHeartbeat heartbeat;

  public RouteControl(
      CamelContext camel,
      MeterRegistry meters,
      AdminQueries queries,
      AuditLog audit,
      ClusterRoutes clusterRoutes,
      ClusterHeartbeat heartbeat) {
    this.clusterRoutes = clusterRoutes;
    this.heartbeat = heartbeat;
    this.camel = camel;
    this.meters = meters;
    this.queries = queries;
    this.audit = audit;
  }

  public List<RouteView> routes() {
    Map<String, Long> failures =
        queries.countsByStage(queries.now().minusHours(1)).stream()
            .collect(
                Collectors.toMap(AdminQueries.StageCount::stage, AdminQueries.StageCount::failed));
    return camel.getRoutes().stream()
        .map(Route::getRouteId)
        .sorted(Comparator.naturalOrder())
        .map(id -> view(id, failures.getOrDefault(id, 0L)))
        .toList();
  }

  public void suspend(String actor, String routeId, String reason) {
    change(actor, routeId, reason, true);
  }

  public void resume(String actor, String routeId, String reason) {
    change(actor, routeId, reason, false);
  }

  private void change(String actor, String routeId, String reason, boolean suspend) {
    String why = AuditLog.reason(reason, "reason");
    if (camel.getRoute(routeId) == null) {
      throw ActionRefused.notFound("admin.route.not-found", routeId);
    }
    // For the whole cluster: every node applies it (a folder route on the inbox leader, wherever
    // asked).
    clusterRoutes.set(routeId, suspend, actor);
    heartbeat.applyRouteSettings();
    audit.record(
        actor,
        suspend ? AuditAction.SUSPEND_ROUTE : AuditAction.RESUME_ROUTE,
        null,
        routeId,
        why,
        "cluster-wide; status on this node now " + status(routeId));
    log.info("route {} route={} actor={}", suspend ? "suspended" : "resumed", routeId, actor);
  }

  private RouteView view(String id, long failuresLastHour) {
    String status = status(id);
    long failed = counter("camel.exchanges.failed", id);
    return new RouteView(
        id,
        status,
        counter("camel.exchanges.total", id),
        failed,
        camel.getInflightRepository().size(id),
        failuresLastHour,
        !ServiceStatus.Started.name().equals(status) || failuresLastHour > 0);
  }

  private String status(String id) {
    ServiceStatus status = camel.getRouteController().getRouteStatus(id);
    return status == null ? "Unknown" : status.name();
  }

  private long counter(String name, String routeId) {
    Counter counter = meters.find(name).tag("routeId", routeId).counter();
    return counter == null ? 0 : (long) counter.count();
  }
}
