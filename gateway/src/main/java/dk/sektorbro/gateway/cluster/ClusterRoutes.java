package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.NodeIdentity;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Route suspensions for the whole cluster. An admin's suspend or resume, on whichever node it was
 * asked, is written to {@code route_setting} (V34) and applied by every node: at once on the asking
 * node, at the next heartbeat on the others. A folder route is applied on the inbox leader only (on
 * the others it is not running and must not be started); a new leader leaves a folder route stopped
 * while it is suspended. Each node applies each change once, so a route's state set otherwise (the
 * leadership, Camel's own start) is not fought over at every heartbeat.
 */
@Component
public class ClusterRoutes {

  private static final Logger log = LoggerFactory.getLogger(ClusterRoutes.class);

  /** One route's cluster-wide setting. */
  public record Setting(String routeId, boolean suspended, OffsetDateTime changedAt) {}

  private final JdbcClient jdbc;
  private final CamelContext camel;
  private final NodeIdentity self;
  private final Clock clock;

  /** Per route, the change this node has applied (changed_at), so each change is applied once. */
  private final Map<String, OffsetDateTime> applied = new ConcurrentHashMap<>();

  public ClusterRoutes(JdbcClient jdbc, CamelContext camel, NodeIdentity self, Clock clock) {
    this.jdbc = jdbc;
    this.camel = camel;
    this.self = self;
    this.clock = clock;
  }

  /**
   * Records an admin's suspend or resume for the cluster; the caller applies it here with {@link
   * #apply}.
   */
  public void set(String routeId, boolean suspended, String actor) {
    jdbc.sql(
            """
            INSERT INTO route_setting (route_id, suspended, changed_at, changed_by, changed_on)
            VALUES (:route, :suspended, :now, :actor, :node)
            ON CONFLICT (route_id) DO UPDATE SET suspended = :suspended, changed_at = :now, changed_by = :actor,
              changed_on = :node""")
        .param("route", routeId)
        .param("suspended", suspended)
        .param("now", OffsetDateTime.now(clock))
        .param("actor", actor)
        .param("node", self.name())
        .update();
  }

  /** Routes suspended for the whole cluster. */
  public Set<String> suspended() {
    return settings().values().stream()
        .filter(Setting::suspended)
        .map(Setting::routeId)
        .collect(Collectors.toSet());
  }

  /**
   * Applies the changes this node has not applied yet. {@code leader}: this node reads the folders;
   * {@code folderRoutes}: the routes only the leader runs.
   */
  public synchronized void apply(boolean leader, Set<String> folderRoutes) {
    if (!camel.isStarted()) {
      return;
    }
    for (Setting setting : settings().values()) {
      if (setting.changedAt().equals(applied.get(setting.routeId()))
          || camel.getRoute(setting.routeId()) == null) {
        continue;
      }
      boolean folder = folderRoutes.contains(setting.routeId());
      if (folder && !leader) {
        // Not running here; the leadership keeps it stopped while it is suspended.
        applied.put(setting.routeId(), setting.changedAt());
        continue;
      }
      if (change(setting.routeId(), setting.suspended(), folder)) {
        applied.put(setting.routeId(), setting.changedAt());
      }
    }
  }

  /**
   * Forgets what was applied to folder routes: a node that becomes leader applies their settings
   * afresh.
   */
  void forgetFolderRoutes(Set<String> folderRoutes) {
    folderRoutes.forEach(applied::remove);
  }

  private boolean change(String routeId, boolean suspend, boolean folder) {
    ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
    try {
      if (suspend && status == ServiceStatus.Started) {
        camel.getRouteController().suspendRoute(routeId);
      } else if (!suspend && status == ServiceStatus.Suspended) {
        camel.getRouteController().resumeRoute(routeId);
      } else if (!suspend
          && folder
          && (status == ServiceStatus.Stopped || status == ServiceStatus.Initialized)) {
        camel.getRouteController().startRoute(routeId);
      } else {
        return true;
      }
      log.info(
          "route {} route={} (cluster-wide setting)", suspend ? "suspended" : "resumed", routeId);
      return true;
    } catch (Exception e) {
      log.warn(
          "route setting not applied route={} suspend={} cause={}",
          routeId,
          suspend,
          e.getClass().getSimpleName());
      return false;
    }
  }

  private Map<String, Setting> settings() {
    return jdbc
        .sql("SELECT route_id, suspended, changed_at FROM route_setting")
        .query(
            (rs, n) ->
                new Setting(
                    rs.getString(1), rs.getBoolean(2), rs.getObject(3, OffsetDateTime.class)))
        .list()
        .stream()
        .collect(Collectors.toMap(Setting::routeId, s -> s));
  }
}
