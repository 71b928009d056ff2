package dk.sektorbro.gateway.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Real PostgreSQL for repository tests: a fresh database with the gateway's migrations applied, on
 * the one embedded server the test JVM shares ({@link TestDatabase}), so a repository test costs a
 * CREATE DATABASE and its migrations, not an initdb and a server start. Nothing to stop after a
 * test: the shared server ends with the JVM, and the database is the test's alone.
 */
public final class MigratedPostgres {

  private final DataSource dataSource;

  private MigratedPostgres(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A new database, migrated to the schema the gateway ships. */
  public static MigratedPostgres start() {
    MigratedPostgres postgres = empty();
    Flyway.configure()
        .dataSource(postgres.dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return postgres;
  }

  /** A new empty database, for tests that run the migrations themselves. */
  public static MigratedPostgres empty() {
    return new MigratedPostgres(TestDatabase.newDataSource());
  }

  public DataSource getPostgresDatabase() {
    return dataSource;
  }
}
