package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.RouteIds;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One node of the cluster reads the folders (the file inboxes and the inbound acknowledgement
 * folder): the one holding a PostgreSQL session-level advisory lock. Those routes do not start on
 * their own; {@link #check()} (every heartbeat) tries the lock and starts them when this node gets
 * it, and stops them when its lock session is lost. The lock goes with the session, so when the
 * leader dies PostgreSQL releases it as soon as it sees the connection close, and the next node's
 * heartbeat takes over (docs/cluster.md).
 */
@Component
public class InboxLeadership implements RoutePolicyFactory, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(InboxLeadership.class);

  /** Arbitrary, fixed: the advisory lock key of "reads the folders". */
  static final long LOCK_KEY = 0x5EC7_0B40L;

  private final DataSource dataSource;
  private final Set<String> managed = ConcurrentHashMap.newKeySet();
  private volatile CamelContext camel;
  private Connection session;

  public InboxLeadership(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Folder-reading routes are started by the leadership only. */
  @Override
  public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
    if (!routeId.startsWith(RouteIds.INTAKE_FILE_PREFIX)
        && !routeId.equals(RouteIds.INBOUND_FOLDER)) {
      return null;
    }
    this.camel = context;
    return new RoutePolicySupport() {
      @Override
      public void onInit(Route initialised) {
        initialised.setAutoStartup(false);
        managed.add(initialised.getId());
      }
    };
  }

  public synchronized boolean isLeader() {
    return session != null;
  }

  /** The routes only the leader runs. */
  public Set<String> folderRoutes() {
    return Set.copyOf(managed);
  }

  /** Takes the leadership when it is free, or gives it up when its session is lost. */
  public synchronized boolean check() {
    return check(Set.of());
  }

  /**
   * As {@link #check()}; {@code suspended}: routes suspended for the whole cluster (ClusterRoutes),
   * which the leader does not start.
   */
  public synchronized boolean check(Set<String> suspended) {
    if (session != null && !valid(session)) {
      log.warn("inbox leadership lost (database session gone): stopping the folder routes");
      closeQuietly();
      stopRoutes();
    }
    if (session == null && tryLock()) {
      log.info("inbox leadership taken: this node reads the folders");
    }
    if (session != null) {
      // Every heartbeat, not only when taken: the first heartbeat can fire while Camel is still
      // starting, and a start then is undone when Camel marks the routes not to auto-start.
      startStoppedRoutes(suspended);
    }
    return session != null;
  }

  private boolean tryLock() {
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
        rs.next();
        if (rs.getBoolean(1)) {
          session = connection;
          return true;
        }
      }
      connection.close();
    } catch (SQLException e) {
      log.warn("inbox leadership not checked: {}", e.getClass().getSimpleName());
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // the connection is gone anyway
        }
      }
    }
    return false;
  }

  private static boolean valid(Connection connection) {
    try (Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(5);
      statement.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Starts the folder routes that are stopped; a route an admin suspended stays suspended (or
   * stopped).
   */
  private void startStoppedRoutes(Set<String> suspended) {
    CamelContext context = camel;
    if (context == null || !context.isStarted()) {
      return;
    }
    for (String routeId : managed) {
      if (suspended.contains(routeId)) {
        continue;
      }
      ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
      if (status == ServiceStatus.Initialized || status == ServiceStatus.Stopped) {
        try {
          context.getRouteController().startRoute(routeId);
        } catch (Exception e) {
          log.warn("route {} not started: {}", routeId, e.getClass().getSimpleName());
        }
      }
    }
  }

  private void stopRoutes() {
    CamelContext context = camel;
    if (context == null) {
      return;
    }
    for (String routeId : managed) {
      try {
        context.getRouteController().stopRoute(routeId);
      } catch (Exception e) {
        log.warn("route {} not stopped: {}", routeId, e.getClass().getSimpleName());
      }
    }
  }

  private void closeQuietly() {
    try {
      session.close();
    } catch (SQLException ignored) {
      // it is gone
    }
    session = null;
  }

  @Override
  public synchronized void destroy() {
    if (session != null) {
      try (Statement statement = session.createStatement()) {
        statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
      } catch (SQLException ignored) {
        // closing the session releases it as well
      }
      closeQuietly();
    }
  }
}
