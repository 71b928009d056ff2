package dk.sektorbro.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.support.MigratedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A rolling upgrade on real PostgreSQL, with Flyway as the gateway runs it: a newer version's
 * migrations are this test's own (a folder beside the gateway's), this node's are the gateway's. A
 * compatible newer migration leaves this node starting (Flyway ignores what it does not know); one
 * that earlier versions must not run against is refused while a node of an earlier version is
 * alive, and once applied, this node's code refuses to start on it.
 */
class SchemaFloorTest {

  @TempDir Path newer;

  @Test
  void aNewerVersionsCompatibleMigration_leavesThisNodeStarting() throws Exception {
    DataSource database = MigratedPostgres.empty().getPostgresDatabase();
    newerVersion(database, "V900__newer_compatible.sql", "CREATE TABLE newer_thing (id INT);");

    thisNodeStarts(database);

    assertThat(SchemaFloor.read(database)).isEqualTo("38");
  }

  @Test
  void aNewerVersionsIncompatibleMigration_isRefusedWhileAnOlderNodeLives_andThenKeepsThisNodeOut()
      throws Exception {
    DataSource database = MigratedPostgres.empty().getPostgresDatabase();
    thisNodeStarts(database);
    JdbcClient jdbc = JdbcClient.create(database);
    // This version's node is alive (its heartbeat publishes the schema its code knows).
    new ClusterNodes(jdbc, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(5))
        .beat(
            "node-old", false, 0, new NodeConfiguration(NodeConfiguration.newestMigration(), "x"));
    String incompatible =
        "ALTER TABLE journal_entry ADD COLUMN newer_thing INT; SELECT schema_floor_raise('900');";

    assertThatThrownBy(() -> newerVersion(database, "V900__newer_incompatible.sql", incompatible))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("must not be applied while nodes of an earlier version are alive")
        .hasMessageContaining("node-old");
    assertThat(SchemaFloor.read(database)).as("nothing of it applied").isEqualTo("38");
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM information_schema.columns"
                        + " WHERE table_name = 'journal_entry' AND column_name = 'newer_thing'")
                .query(Integer.class)
                .single())
        .isZero();

    // The older node stops (SIGTERM); the newer version's start goes through.
    new ClusterNodes(jdbc, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(5))
        .stopped("node-old");
    newerVersion(database, "V900__newer_incompatible.sql", incompatible);
    assertThat(SchemaFloor.read(database)).isEqualTo("900");

    // The older node started again (systemd, an operator) refuses to run on it.
    assertThatThrownBy(() -> thisNodeStarts(database))
        .isInstanceOf(SchemaFloor.BelowSchemaFloor.class)
        .hasMessageContaining("knows the schema up to V" + NodeConfiguration.newestMigration())
        .hasMessageContaining("schema_floor 900");
  }

  /**
   * Out of order: a node whose code has a migration below the database's newest that the database
   * lacks (a hotfix of an older line) does not start; Flyway's outOfOrder stays off.
   */
  @Test
  void aMigrationBelowTheDatabasesNewestThatTheDatabaseLacks_keepsItsNodeFromStarting()
      throws Exception {
    DataSource database = MigratedPostgres.empty().getPostgresDatabase();
    newerVersion(database, "V900__newer_compatible.sql", "CREATE TABLE newer_thing (id INT);");
    Path hotfix = Files.createDirectory(newer.resolve("hotfix"));
    Files.writeString(hotfix.resolve("V899__hotfix.sql"), "CREATE TABLE hotfix_thing (id INT);");

    assertThatThrownBy(
            () ->
                new SchemaFloor()
                    .migrateThenCheckTheSchemaFloor()
                    .migrate(
                        Flyway.configure()
                            .dataSource(database)
                            .locations("classpath:db/migration", "filesystem:" + hotfix)
                            .load()))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("899")
        .hasMessageContaining("not applied");
  }

  /** A node of a newer version starts: its migrations are the gateway's and {@code file}. */
  private void newerVersion(DataSource database, String file, String sql) throws Exception {
    Files.writeString(newer.resolve(file), sql);
    Flyway.configure()
        .dataSource(database)
        .locations("classpath:db/migration", "filesystem:" + newer)
        .load()
        .migrate();
  }

  /** A node of this version starts: Flyway as Spring Boot configures it, then the floor check. */
  private static void thisNodeStarts(DataSource database) {
    new SchemaFloor()
        .migrateThenCheckTheSchemaFloor()
        .migrate(
            Flyway.configure().dataSource(database).locations("classpath:db/migration").load());
  }
}
