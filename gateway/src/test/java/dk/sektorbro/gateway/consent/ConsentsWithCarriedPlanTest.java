package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.careplan.DocumentRepository;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The consent lookup of the gate and of the recheck before delivery reads the citizen's consents
 * and the plan version the entry carries in one statement, on PostgreSQL: it must give what the two
 * reads it replaces give ({@link ConsentRepository#forCitizen} and {@link
 * DocumentRepository#findByJournalId}), with and without either.
 */
class ConsentsWithCarriedPlanTest {

  private static MigratedPostgres postgres;
  private static ConsentRepository consents;
  private static DocumentRepository documents;
  private static Journal journal;

  @BeforeAll
  static void start() throws Exception {
    postgres = MigratedPostgres.start();
    JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    consents = new ConsentRepository(jdbc);
    documents = new DocumentRepository(jdbc);
    journal = TestEntries.journal(postgres.getPostgresDatabase());
  }

  @Test
  void consentsAndCarriedPlan_areWhatTheTwoReadsGive() {
    String cpr = "0101401234";
    OffsetDateTime given = OffsetDateTime.of(2026, 11, 20, 9, 0, 0, 0, ZoneOffset.UTC);
    consents.insert(consent(cpr, given.plusDays(1), "990031000016002"));
    consents.insert(consent(cpr, given, "990031000016003"));
    consents.insert(consent("0202402345", given, "990031000016002"));
    String entry = TestEntries.register(journal, "rec-" + UUID.randomUUID());
    documents.insert(plan(entry, "plan-a", 1), "{}", new byte[] {1});

    ConsentRepository.ConsentsAndPlan read = consents.forCitizenWithCarriedPlan(cpr, entry);

    assertThat(read.consents())
        .usingRecursiveComparison()
        .withEqualsForType(OffsetDateTime::isEqual, OffsetDateTime.class)
        .isEqualTo(consents.forCitizen(cpr));
    assertThat(read.consents()).hasSize(2);
    assertThat(read.carriedPlan())
        .usingRecursiveComparison()
        .withEqualsForType(OffsetDateTime::isEqual, OffsetDateTime.class)
        .isEqualTo(documents.findByJournalId(entry));
    assertThat(read.carriedPlan()).isPresent();
  }

  @Test
  void neitherConsentsNorPlan_areEmpty_andEitherAlone_comesBack() {
    String entry = TestEntries.register(journal, "rec-" + UUID.randomUUID());
    ConsentRepository.ConsentsAndPlan none =
        consents.forCitizenWithCarriedPlan("0303403456", entry);
    assertThat(none.consents()).isEmpty();
    assertThat(none.carriedPlan()).isEmpty();

    documents.insert(plan(entry, "plan-b", 1), "{}", new byte[] {1});
    ConsentRepository.ConsentsAndPlan planOnly =
        consents.forCitizenWithCarriedPlan("0303403456", entry);
    assertThat(planOnly.consents()).isEmpty();
    assertThat(planOnly.carriedPlan().map(StoredDocument::planNumber)).contains("plan-b");

    String cpr = "0404404567";
    consents.insert(
        consent(cpr, OffsetDateTime.now(ZoneOffset.UTC).minusDays(1), "990031000016002"));
    String other = TestEntries.register(journal, "rec-" + UUID.randomUUID());
    ConsentRepository.ConsentsAndPlan consentOnly = consents.forCitizenWithCarriedPlan(cpr, other);
    assertThat(consentOnly.consents()).hasSize(1);
    assertThat(consentOnly.carriedPlan()).isEmpty();
  }

  @Test
  void twoVersionsCarriedByOneEntry_areRefused_asByTheSingleRead() {
    String cpr = "0505405678";
    consents.insert(
        consent(cpr, OffsetDateTime.now(ZoneOffset.UTC).minusDays(1), "990031000016002"));
    String entry = TestEntries.register(journal, "rec-" + UUID.randomUUID());
    documents.insert(plan(entry, "plan-c", 1), "{}", new byte[] {1});
    documents.insert(plan(entry, "plan-c", 2), "{}", new byte[] {1});

    assertThatThrownBy(() -> documents.findByJournalId(entry))
        .isInstanceOf(IncorrectResultSizeDataAccessException.class);
    assertThatThrownBy(() -> consents.forCitizenWithCarriedPlan(cpr, entry))
        .isInstanceOf(IncorrectResultSizeDataAccessException.class);
  }

  private static ConsentRecord consent(String cpr, OffsetDateTime given, String sor) {
    return new ConsentRecord(
        UUID.randomUUID().toString(),
        cpr,
        ConsentRecord.Type.CONSENT,
        new Grantor(GrantorType.CITIZEN, null, null),
        List.of(ConsentRecipient.organisation(sor, "Afsnit")),
        Set.of(InformationCategory.MEDICATION),
        Purpose.CARE_COORDINATION,
        given,
        given.plusYears(1),
        "Karen Holm",
        null,
        ConsentForm.WRITTEN,
        given,
        null);
  }

  private static StoredDocument plan(String journalId, String number, int version) {
    return new StoredDocument(
        UUID.randomUUID().toString(),
        journalId,
        "src-" + number,
        number,
        "KIP",
        version,
        LocalDate.of(2026, 11, 20),
        "urn:uuid:" + UUID.randomUUID(),
        null,
        OffsetDateTime.now(ZoneOffset.UTC),
        null);
  }
}
