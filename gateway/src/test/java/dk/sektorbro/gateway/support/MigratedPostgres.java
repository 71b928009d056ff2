package dk.sektorbro.gateway.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.flywaydb.core.Flyway;

/** Real PostgreSQL for repository tests: a fresh embedded server with the gateway's migrations applied. */
public final class MigratedPostgres {

  private MigratedPostgres() {}

  /** Started and migrated to the schema the gateway ships; the caller closes it. */
  public static EmbeddedPostgres start() throws IOException {
    EmbeddedPostgres postgres = EmbeddedPostgres.start();
    Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load().migrate();
    return postgres;
  }
}
