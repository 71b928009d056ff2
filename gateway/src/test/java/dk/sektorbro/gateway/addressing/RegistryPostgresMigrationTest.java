package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import dk.sektorbro.gateway.support.MigratedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The migrations, and the registry's SQL, on a real PostgreSQL (not H2's PostgreSQL mode). */
class RegistryPostgresMigrationTest {

  private static EmbeddedPostgres postgres;
  private static DataSource dataSource;

  @BeforeAll
  static void start() throws IOException {
    postgres = MigratedPostgres.start();
    dataSource = postgres.getPostgresDatabase();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  @Test
  void migrationsApply_andASnapshotStoresLoadsAndPrunes() throws IOException {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    assertThat(jdbc.sql("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
        .query(String.class).list()).contains("1", "3");

    RegistryRepository repository = new RegistryRepository(jdbc, new NamedParameterJdbcTemplate(dataSource));
    RegistryImporter importer = new RegistryImporter(repository,
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
        Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    RegistryImporter.Imported first;
    try (RegistryUpload upload = RegistryUpload.of(SorXmlFormatTest.SYNTHETIC)) {
      first = importer.store(upload, new SorXmlFormat(), new ImportProgress("a", "SOR_XML", null), 1);
      importer.store(upload, new SorXmlFormat(), new ImportProgress("b", "SOR_XML", null), 1);
    }
    List<SnapshotInfo> snapshots = repository.snapshots();
    assertThat(snapshots).hasSize(1); // keep = 1: the first was pruned when the second became active
    SnapshotInfo active = repository.activeSnapshot().orElseThrow();
    assertThat(active.id()).isNotEqualTo(first.snapshot().id());
    assertThat(active.snapshotDate()).hasToString("2026-11-20");
    assertThat(active.contentHash()).hasSize(64);

    List<RegistryUnit> units = repository.units(active.id());
    assertThat(units).hasSize(20);
    RegistryUnit team = units.stream().filter(u -> u.sorId().equals("990091000016001")).findFirst().orElseThrow();
    assertThat(team.effectiveGln()).isEqualTo("5790009900023");
    assertThat(team.eanInherited()).isTrue();
    RegistryUnit p2 = units.stream().filter(u -> u.sorId().equals("990141000016005")).findFirst().orElseThrow();
    assertThat(p2.replacedBy()).containsExactly("990131000016003");
    assertThat(jdbc.sql("SELECT successor_chain FROM registry_unit WHERE snapshot_id = :id AND sor_id = :sor")
        .param("id", active.id()).param("sor", "990141000016005").query(String.class).single())
        .isEqualTo("ACTIVE 990131000016003>990031000016002");
    assertThat(repository.locations(active.id())).filteredOn(l -> l.gln().equals("5790009900078"))
        .singleElement().satisfies(l -> assertThat(l.onlyInternal()).isTrue());
    assertThat(repository.rejections(active.id(), 10)).isEmpty();
  }
}
