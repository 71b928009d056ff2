package dk.sektorbro.gateway.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * One gateway node per database, enforced. The schedulers and the recovery sweep do not yet claim
 * their rows, so a second node on the same database would send messages twice (docs/cluster.md).
 * The node holds a PostgreSQL session-level advisory lock for as long as it runs; a second node is
 * refused at start with a clear reason. The lock goes with the session, so a killed node's lock is
 * released as soon as PostgreSQL notices its connection is gone.
 */
@Component
public class SingleNodeGuard implements InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SingleNodeGuard.class);
  /** Arbitrary, fixed: the advisory lock key of "the gateway node of this database". */
  static final long LOCK_KEY = 0x5EC7_0B40L;

  private final DataSource dataSource;
  private Connection session;

  public SingleNodeGuard(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void afterPropertiesSet() throws SQLException {
    session = dataSource.getConnection();
    try (Statement statement = session.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        session.close();
        session = null;
        throw new IllegalStateException("another gateway node is running on this database; several nodes on"
            + " one database are not supported yet (docs/cluster.md). Stop the other node first, or give this"
            + " one its own database");
      }
    }
    log.info("holding the database's gateway node lock");
  }

  @Override
  public void destroy() throws SQLException {
    if (session != null && !session.isClosed()) {
      try (Statement statement = session.createStatement()) {
        statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
      } finally {
        session.close();
      }
    }
  }
}
