package dk.sektorbro.gateway.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The schema floor (V57): the lowest schema version a node's code may know and still run against
 * the database. Flyway ignores applied migrations a node does not know (a database a newer version
 * migrated), which is what lets an older node work on during a rolling upgrade; a migration that
 * older code must not run against raises the floor ({@code schema_floor_raise}), and then a node
 * below it refuses to start, after its own migrations, and a running one stops at its next
 * heartbeat (docs/cluster.md, "Upgrading one node at a time").
 */
@Configuration(proxyBeanMethods = false)
public class SchemaFloor {

  /**
   * Flyway's migration at start, then the floor's check. Plain JDBC on Flyway's data source: the
   * application's JDBC beans wait for the migration.
   */
  @Bean
  FlywayMigrationStrategy migrateThenCheckTheSchemaFloor() {
    return flyway -> {
      flyway.migrate();
      refuseBelow(
          read(flyway.getConfiguration().getDataSource()), NodeConfiguration.newestMigration());
    };
  }

  /** The database's floor; "0" for a database without one. */
  static String read(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet floor = statement.executeQuery("SELECT min_version FROM schema_floor")) {
      return floor.next() ? floor.getString(1) : "0";
    } catch (SQLException e) {
      throw new IllegalStateException("the schema floor cannot be read", e);
    }
  }

  /** True when code whose newest migration is {@code own} must not run above {@code floor}. */
  public static boolean below(String own, String floor) {
    return floor != null && NodeConfiguration.compareVersions(own, floor) < 0;
  }

  static void refuseBelow(String floor, String own) {
    if (below(own, floor)) {
      throw new BelowSchemaFloor(own, floor);
    }
  }

  /** This node's code is older than the database's schema floor. */
  public static final class BelowSchemaFloor extends IllegalStateException {
    BelowSchemaFloor(String own, String floor) {
      super(
          "this node's code knows the schema up to V"
              + own
              + ", but a newer version migrated the database past what earlier versions may run"
              + " against (schema_floor "
              + floor
              + "): run the newer version on this node too (docs/cluster.md, \"Upgrading one node"
              + " at a time\")");
    }
  }
}
