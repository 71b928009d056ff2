package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Revocation;
import dk.sektorbro.gateway.support.MigratedPostgres;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The migrations (V1 journal, V2 consent) on real PostgreSQL, not only on H2's PostgreSQL mode, and
 * the registry's SQL against them: a consent with recipients, categories and a revocation comes
 * back as it went in, and the database itself refuses a consent without a purpose.
 */
class ConsentMigrationPostgresTest {

  static MigratedPostgres postgres;
  static DataSource dataSource;

  @BeforeAll
  static void migrate() throws Exception {
    postgres = MigratedPostgres.start();
    dataSource = postgres.getPostgresDatabase();
  }

  @Test
  void v2_createsTheRegistry_andTheCitizenColumnOnTheJournal() {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    assertThat(
            jdbc.sql("SELECT MAX(version) FROM flyway_schema_history WHERE success")
                .query(String.class)
                .single())
        .isGreaterThanOrEqualTo("2");
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'journal_entry'"
                        + " AND column_name = 'citizen_cpr'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'ix_journal_entry_citizen'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void consent_roundTripsThroughTheRepository() {
    ConsentRepository repository = new ConsentRepository(JdbcClient.create(dataSource));
    OffsetDateTime given = OffsetDateTime.of(2026, 11, 20, 9, 0, 0, 0, ZoneOffset.ofHours(1));
    ConsentRecord consent =
        new ConsentRecord(
            "0f8e7c1a-1111-4a7e-9c7e-1b2c3d4e5f60",
            "0503455012",
            ConsentRecord.Type.CONSENT,
            new Grantor(GrantorType.PROXY, "Jens Værge", "guardian"),
            List.of(
                ConsentRecipient.organisation("990031000016002", "Afsnit P3"),
                ConsentRecipient.relative("Ida", "daughter")),
            Set.of(InformationCategory.SOCIAL_CONDITIONS, InformationCategory.MEDICATION),
            Purpose.CARE_COORDINATION,
            given,
            given.plusYears(1),
            "Karen Holm",
            "Lise Jensen",
            ConsentForm.WRITTEN,
            given,
            null);
    repository.insert(consent);
    Revocation revocation = new Revocation(given.plusDays(2), "Karen Holm", "phoned");
    assertThat(repository.revoke(consent.id(), revocation)).isTrue();
    assertThat(repository.revoke(consent.id(), revocation)).isFalse();

    ConsentRecord back = repository.forCitizen("0503455012").get(0);
    assertThat(back)
        .usingRecursiveComparison()
        .withEqualsForType(OffsetDateTime::isEqual, OffsetDateTime.class)
        .isEqualTo(consent.revoked(revocation));
    assertThat(repository.find(consent.id()).orElseThrow())
        .usingRecursiveComparison()
        .withEqualsForType(OffsetDateTime::isEqual, OffsetDateTime.class)
        .isEqualTo(back);
  }

  @Test
  void consentWithoutPurpose_isRefusedByTheDatabase() {
    JdbcClient jdbc = JdbcClient.create(dataSource);
    assertThatThrownBy(
            () ->
                jdbc.sql(
                        "INSERT INTO consent (id, citizen_cpr, consent_type, given_by_type, given_at,"
                            + " valid_until, collected_by, consent_form, recorded_at) VALUES ('x', '0503455012', 'CONSENT', 'CITIZEN',"
                            + " now(), now(), 'Karen Holm', 'WRITTEN', now())")
                    .update())
        .isInstanceOf(DataIntegrityViolationException.class);
  }
}
