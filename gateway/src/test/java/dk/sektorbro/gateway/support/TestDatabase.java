package dk.sektorbro.gateway.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL per test JVM and a fresh, empty database for each application a test starts
 * and each repository test ({@link MigratedPostgres}): an initdb per test class would cost seconds
 * each. This server keeps zonky's test settings (fsync off); the gateway's own embedded server,
 * with commits forced to disk, is tested by EmbeddedPostgresServerTest, RestartContinuesTest and
 * the kill tests.
 */
public final class TestDatabase {

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static EmbeddedPostgres server;

  private TestDatabase() {}

  /** JDBC URL of a new empty database (user {@code postgres}, no password). */
  public static String newDatabaseUrl() {
    return server().getJdbcUrl("postgres", createDatabase());
  }

  /** A data source on a new empty database, for repository tests without an application. */
  public static DataSource newDataSource() {
    return server().getDatabase("postgres", createDatabase());
  }

  private static String createDatabase() {
    String name = "gateway_test_" + NEXT.incrementAndGet();
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return name;
  }

  /** Command-line arguments that point an application started by a test at a new database. */
  public static String[] newDatabaseArguments() {
    return new String[] {
      "--spring.datasource.url=" + newDatabaseUrl(), "--spring.datasource.username=postgres"
    };
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.start(); // zonky stops it when the JVM exits
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return server;
  }
}
