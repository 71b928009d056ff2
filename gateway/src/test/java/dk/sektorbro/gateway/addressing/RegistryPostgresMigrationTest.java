package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The migrations, and the registry's SQL, on a real PostgreSQL (not H2's PostgreSQL mode). */
class RegistryPostgresMigrationTest {

  private static MigratedPostgres postgres;
  private static DataSource dataSource;

  @BeforeAll
  static void start() throws IOException {
    postgres = MigratedPostgres.start();
    dataSource = postgres.getPostgresDatabase();
  }

  @Test
  void migrationsApply_andASnapshotStoresLoadsAndPrunes() throws IOException {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    assertThat(
            jdbc.sql(
                    "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
                .query(String.class)
                .list())
        .contains("1", "3");

    RegistryRepository repository =
        new RegistryRepository(jdbc, new NamedParameterJdbcTemplate(dataSource));
    RegistryImporter importer =
        new RegistryImporter(
            repository,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    RegistryImporter.Imported first;
    try (RegistryUpload upload = RegistryUpload.of(SorXmlFormatTest.SYNTHETIC)) {
      first =
          importer.store(upload, new SorXmlFormat(), new ImportProgress("a", "SOR_XML", null), 1);
      importer.store(upload, new SorXmlFormat(), new ImportProgress("b", "SOR_XML", null), 1);
    }
    List<SnapshotInfo> snapshots = repository.snapshots();
    assertThat(snapshots)
        .hasSize(1); // keep = 1: the first was pruned when the second became active
    SnapshotInfo active = repository.activeSnapshot().orElseThrow();
    assertThat(active.id()).isNotEqualTo(first.snapshot().id());
    assertThat(active.snapshotDate()).hasToString("2026-11-20");
    assertThat(active.contentHash()).hasSize(64);

    List<RegistryUnit> units = repository.units(active.id());
    assertThat(units).hasSize(20);
    RegistryUnit team =
        units.stream().filter(u -> u.sorId().equals("990091000016001")).findFirst().orElseThrow();
    assertThat(team.effectiveGln()).isEqualTo("5790009900023");
    assertThat(team.eanInherited()).isTrue();
    RegistryUnit p2 =
        units.stream().filter(u -> u.sorId().equals("990141000016005")).findFirst().orElseThrow();
    assertThat(p2.replacedBy()).containsExactly("990131000016003");
    assertThat(
            jdbc.sql(
                    "SELECT successor_chain FROM registry_unit WHERE snapshot_id = :id AND sor_id = :sor")
                .param("id", active.id())
                .param("sor", "990141000016005")
                .query(String.class)
                .single())
        .isEqualTo("ACTIVE 990131000016003>990031000016002");
    assertThat(repository.locations(active.id()))
        .filteredOn(l -> l.gln().equals("5790009900078"))
        .singleElement()
        .satisfies(l -> assertThat(l.onlyInternal()).isTrue());
    assertThat(repository.rejections(active.id(), 10)).isEmpty();
  }

  @Test
  void storingPhase_countsRows_andARejectionThresholdKeepsABadSnapshotFromGoingLive()
      throws IOException {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    RegistryRepository repository =
        new RegistryRepository(jdbc, new NamedParameterJdbcTemplate(dataSource));
    RegistryImporter importer =
        new RegistryImporter(
            repository,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    ImportProgress progress = new ImportProgress("c", "SOR_XML", null);
    RegistryImporter.Imported good;
    try (RegistryUpload upload = RegistryUpload.of(SorXmlFormatTest.SYNTHETIC)) {
      good = importer.store(upload, new SorXmlFormat(), progress, 5, 0.0);
    }
    assertThat(progress.rowsToStore())
        .isEqualTo(good.snapshot().units() + good.snapshot().locations());
    assertThat(progress.rowsStored()).isEqualTo(progress.rowsToStore());

    // One unit of three rejected (a bad check digit): above a 10 % threshold, refused; the good one
    // stays active.
    String xml =
        """
        <SorTree><InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>990071000016000</SorIdentifier>
        <EntityName>Nordby Kommune</EntityName><OwnerType>kommune</OwnerType></InstitutionOwner>
        <HealthInstitutionEntity><HealthInstitution><SorIdentifier>990011000016008</SorIdentifier>
        <EntityName>A</EntityName></HealthInstitution></HealthInstitutionEntity>
        <HealthInstitutionEntity><HealthInstitution><SorIdentifier>990011000016009</SorIdentifier>
        <EntityName>B</EntityName></HealthInstitution></HealthInstitutionEntity>
        </InstitutionOwnerEntity></SorTree>""";
    Path file = Files.createTempFile("sor", ".xml");
    Files.writeString(file, xml);
    try (RegistryUpload upload = RegistryUpload.of(file)) {
      Assertions.assertThatThrownBy(
              () ->
                  importer.store(
                      upload,
                      new SorXmlFormat(),
                      new ImportProgress("d", "SOR_XML", null),
                      5,
                      10.0))
          .isInstanceOf(ImportFailure.class)
          .hasMessageContaining("1 of 3 units rejected")
          .hasMessageContaining("max-rejected-percent");
    } finally {
      Files.delete(file);
    }
    assertThat(repository.activeSnapshot().orElseThrow().id()).isEqualTo(good.snapshot().id());
  }

  /**
   * An EER postbox with two Endpoints (an access-point switch: the old one ends, the new one
   * starts) was one row per Endpoint under the key (snapshot, GLN, owner): the second broke the
   * whole import on the primary key. Both are stored, with their periods, and read back.
   */
  @Test
  void eerPostboxWithTwoEndpoints_isStoredWithBothPeriods() throws IOException {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    RegistryRepository repository =
        new RegistryRepository(jdbc, new NamedParameterJdbcTemplate(dataSource));
    RegistryImporter importer =
        new RegistryImporter(
            repository,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
            + EerBundleFormatTest.org("ie", EerEndpointPeriodTest.IE, "IO", "Region Nord", null)
            + ","
            + EerBundleFormatTest.org(
                "si",
                EerEndpointPeriodTest.SI,
                "HI",
                "Psykiatrien",
                "{\"reference\":\"Organization/ie\"}",
                "{\"reference\":\"Endpoint/old\"}",
                "{\"reference\":\"Endpoint/new\"}")
            + ","
            + EerEndpointPeriodTest.endpoint(
                "old", "active", "2025-01-01", "2026-11-22", EerBundleFormatTest.CARE_URI)
            + ","
            + EerEndpointPeriodTest.endpoint(
                "new", "active", "2026-11-23", null, EerBundleFormatTest.CARE_URI)
            + "]}";
    Path file = Files.createTempFile("eer", ".json");
    Files.writeString(file, bundle);
    RegistryImporter.Imported imported;
    try (RegistryUpload upload = RegistryUpload.of(file)) {
      imported =
          importer.store(
              upload, new EerBundleFormat(), new ImportProgress("e", "EER_FHIR", null), 5);
    } finally {
      Files.delete(file);
    }
    List<RegistryLocation> stored = repository.locations(imported.snapshot().id());
    assertThat(stored)
        .extracting(
            RegistryLocation::endpointId, RegistryLocation::validFrom, RegistryLocation::validTo)
        .containsExactlyInAnyOrder(
            Assertions.tuple(
                "old", java.time.LocalDate.of(2025, 1, 1), java.time.LocalDate.of(2026, 11, 22)),
            Assertions.tuple("new", java.time.LocalDate.of(2026, 11, 23), null));
  }

  /**
   * A partial export (here the EER Organizations without their Endpoints) reads without a single
   * rejection, but holds no postbox: as the active snapshot it would fail every message (R5, "no
   * EAN location number"). Refused as a whole; the active snapshot stays.
   */
  @Test
  void uploadWithUnitsButNoPostbox_isRefused_andTheActiveSnapshotStays() throws IOException {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    RegistryRepository repository =
        new RegistryRepository(jdbc, new NamedParameterJdbcTemplate(dataSource));
    RegistryImporter importer =
        new RegistryImporter(
            repository,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    RegistryImporter.Imported good;
    try (RegistryUpload upload = RegistryUpload.of(SorXmlFormatTest.SYNTHETIC)) {
      good =
          importer.store(upload, new SorXmlFormat(), new ImportProgress("f", "SOR_XML", null), 5);
    }
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
            + EerBundleFormatTest.org("ie", EerEndpointPeriodTest.IE, "IO", "Region Nord", null)
            + ","
            + EerBundleFormatTest.org(
                "si",
                EerEndpointPeriodTest.SI,
                "HI",
                "Psykiatrien",
                "{\"reference\":\"Organization/ie\"}")
            + "]}";
    Path file = Files.createTempFile("eer", ".json");
    Files.writeString(file, bundle);
    try (RegistryUpload upload = RegistryUpload.of(file)) {
      Assertions.assertThatThrownBy(
              () ->
                  importer.store(
                      upload, new EerBundleFormat(), new ImportProgress("g", "EER_FHIR", null), 5))
          .isInstanceOf(ImportFailure.class)
          .hasMessageContaining("no EAN location number");
    } finally {
      Files.delete(file);
    }
    assertThat(repository.activeSnapshot().orElseThrow().id()).isEqualTo(good.snapshot().id());
  }
}
