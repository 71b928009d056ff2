package dk.sektorbro.gateway.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import db.migration.V27_1__MoveDeliverySchedule;
import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.platform.Sha256;
import dk.sektorbro.gateway.support.CheapPasswords;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.TestDatabase;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database made by an earlier release, upgraded by starting today's gateway on it
 * (docs/operations .md, Upgrade): the earlier release's own migrations, taken from git at test
 * time, create the schema; its data is written in that schema; today's gateway starts on it, Flyway
 * validates the history it finds (a released migration changed since would stop the start here) and
 * applies the newer migrations; then the earlier release's journal, consents and unfinished work
 * must be there and usable.
 */
@Tag("integration")
class UpgradeFromEarlierReleaseTest {

  private static final Logger log = LoggerFactory.getLogger(UpgradeFromEarlierReleaseTest.class);

  /**
   * The end of the sixth session on main (2026-12-06): schema V34, before the message storage,
   * record hashes, one active registry snapshot and location periods (V35-V49).
   */
  static final String EARLIER_RELEASE = "24d6ace";

  static final String EARLIER_SCHEMA = "34";

  private static final String MIGRATIONS = "gateway/src/main/resources/db/migration";
  private static final String SOURCE = "nordby-socialpsykiatri";
  private static final String CPR = "0503455012";

  @TempDir Path temp;

  @Test
  void aDatabaseOfAnEarlierReleaseIsMigrated_andItsJournalConsentsAndUnfinishedWorkCarryOn()
      throws Exception {
    String url = TestDatabase.newDatabaseUrl();
    DataSource dataSource = new DriverManagerDataSource(url, "postgres", "");
    earlierReleaseSchema(dataSource);
    JdbcClient jdbc = JdbcClient.create(dataSource);
    byte[] record =
        TestFiles.read(TestFiles.TEST_MESSAGES.resolve(SOURCE + "/status-efter-udskrivelse.json"));
    String recordId = "UPGRADE-" + UUID.randomUUID();
    byte[] unfinished =
        new String(record, StandardCharsets.UTF_8)
            .replaceFirst(
                "\"journalpostId\"\\s*:\\s*\"[^\"]*\"", "\"journalpostId\": \"" + recordId + "\"")
            .getBytes(StandardCharsets.UTF_8);
    OffsetDateTime then = OffsetDateTime.now(ZoneOffset.UTC).minusDays(3);
    String failed = earlierEntry(jdbc, "FAILED", then, "UPGRADE-F-" + UUID.randomUUID(), record);
    String acknowledged =
        earlierEntry(jdbc, "ACKNOWLEDGED", then, "UPGRADE-A-" + UUID.randomUUID(), record);
    // Left RECEIVED by the earlier release (stopped mid-flow for the upgrade), before its gates:
    // today's gateway resumes it.
    String received =
        earlierEntry(jdbc, "RECEIVED", OffsetDateTime.now(ZoneOffset.UTC), recordId, unfinished);
    // Its canonical record as the mapping makes it (the earlier release's golden files are the
    // MedCom messages, not this JSON: its format is today's, read back by today's gates).
    Path sample = Files.write(temp.resolve(SOURCE + ".json"), unfinished);
    jdbc.sql("UPDATE journal_entry SET canonical_record = :json WHERE id = :id")
        .param(
            "json",
            new ObjectMapper()
                .findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(SampleMessages.record(sample, SOURCE)))
        .param("id", received)
        .update();
    String consent = earlierConsent(jdbc, then);

    ConfigurableApplicationContext gateway =
        new SpringApplicationBuilder(GatewayApplication.class, CheapPasswords.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres",
                "--gateway.data-dir=" + temp.resolve("data"),
                "--gateway.mappings-dir=" + TestFiles.MAPPINGS,
                "--gateway.addressing.bootstrap-file="
                    + TestFiles.REPO.resolve("registry/synthetic-sor.xml"),
                "--gateway.conformance.warm-up=on-demand",
                "--gateway.delivery.format=JSON",
                "--GATEWAY_ADMIN_PASSWORD=upgrade-admin",
                "--GATEWAY_OPERATOR_PASSWORD=upgrade-operator",
                "--GATEWAY_INTAKE_PASSWORD=upgrade-intake");
    try {
      int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
      GatewayClient operator =
          new GatewayClient("http://localhost:" + port, "operator", "upgrade-operator");
      GatewayClient intake =
          new GatewayClient("http://localhost:" + port, "intake", "upgrade-intake");

      // Every migration after the earlier release's applied, none failed.
      List<String> applied =
          jdbc.sql(
                  "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")
              .query(String.class)
              .list();
      assertThat(applied).contains(EARLIER_SCHEMA, "49");
      assertThat(
              jdbc.sql("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success")
                  .query(Long.class)
                  .single())
          .isZero();

      // The earlier release's journal as it was: states, reasons, history.
      JsonNode failedEntry = operator.get("/api/v1/messages/" + failed).json();
      assertThat(failedEntry.get("state").asText()).isEqualTo("FAILED");
      assertThat(failedEntry.get("history").toString()).contains("recipient refused by the test");
      assertThat(operator.get("/api/v1/messages/" + acknowledged).json().get("state").asText())
          .isEqualTo("ACKNOWLEDGED");
      // Its consent as it was recorded, and applied: the entry it left RECEIVED is resumed, its
      // consent decision rests on the earlier release's consent, and it is sent.
      JsonNode consentView = operator.get("/api/v1/consents/" + consent).json();
      assertThat(consentView.toString()).contains(CPR).contains("990031000016002");
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(200, TimeUnit.MILLISECONDS)
          .untilAsserted(
              () ->
                  assertThat(
                          operator.get("/api/v1/messages/" + received).json().get("state").asText())
                      .isEqualTo("SENT"));
      assertThat(operator.get("/api/v1/messages/" + received).json().get("history").toString())
          .contains(consent);
      // The same bytes sent again are the earlier release's entry, not a second message.
      GatewayClient.Response again =
          intake.post("/api/v1/records/" + SOURCE, "application/json", unfinished);
      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json().get("id").asText()).isEqualTo(received);
    } finally {
      gateway.close();
    }
  }

  // The earlier release's migrations, from git when this checkout has its history; else today's
  // files up to its schema (Flyway's checksums make a released migration unchangeable: the start
  // above would refuse a history that differs from today's files).
  private void earlierReleaseSchema(DataSource dataSource)
      throws IOException, InterruptedException {
    Path old = Files.createDirectories(temp.resolve("earlier-migrations"));
    List<String> files = git("ls-tree", "--name-only", EARLIER_RELEASE, MIGRATIONS + "/");
    if (files.isEmpty()) {
      log.warn(
          "release {} not in this checkout's git history: its schema is made from today's migrations"
              + " up to V{}",
          EARLIER_RELEASE,
          EARLIER_SCHEMA);
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .target(EARLIER_SCHEMA)
          .load()
          .migrate();
      return;
    }
    for (String file : files) {
      String name = Path.of(file).getFileName().toString();
      byte[] content = gitBytes("show", EARLIER_RELEASE + ":" + file);
      Files.write(old.resolve(name), content);
    }
    Flyway.configure()
        .dataSource(dataSource)
        .locations("filesystem:" + old)
        .javaMigrations(new V27_1__MoveDeliverySchedule())
        .load()
        .migrate();
    assertThat(
            JdbcClient.create(dataSource)
                .sql("SELECT MAX(installed_rank) FROM flyway_schema_history")
                .query(Integer.class)
                .single())
        .isPositive();
  }

  // One journal entry as the earlier release wrote it (its columns only), with its history.
  private static String earlierEntry(
      JdbcClient jdbc, String state, OffsetDateTime at, String recordId, byte[] payload) {
    String id = UUID.randomUUID().toString();
    String hash = Sha256.hex(payload);
    jdbc.sql(
            """
            INSERT INTO journal_entry (id, source, source_record_id, idempotency_key, content_hash,
              channel, content_type, payload, payload_size, received_at, updated_at, state,
              state_reason, citizen_cpr, recipient_sor)
            VALUES (:id, :source, :recordId, :key, :hash, 'REST', 'application/json', :payload,
              :size, :at, :at, :state, :reason, :cpr, :sor)""")
        .param("id", id)
        .param("source", SOURCE)
        .param("recordId", recordId)
        .param("key", recordId + "|" + hash)
        .param("hash", hash)
        .param("payload", payload)
        .param("size", payload.length)
        .param("at", at)
        .param("state", state)
        .param("reason", "FAILED".equals(state) ? "recipient refused by the test" : null)
        .param("cpr", CPR)
        .param("sor", "990031000016002")
        .update();
    jdbc.sql(
            """
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason)
            VALUES (:id, :at, 'RECEIVED', 'intake', 'received by the earlier release')""")
        .param("id", id)
        .param("at", at)
        .update();
    if (!"RECEIVED".equals(state)) {
      jdbc.sql(
              """
              INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason)
              VALUES (:id, :at, :state, 'deliver', :reason)""")
          .param("id", id)
          .param("at", at.plusMinutes(1))
          .param("state", state)
          .param("reason", "FAILED".equals(state) ? "recipient refused by the test" : "ok")
          .update();
    }
    return id;
  }

  private static String earlierConsent(JdbcClient jdbc, OffsetDateTime given) {
    String id = UUID.randomUUID().toString();
    jdbc.sql(
            """
            INSERT INTO consent (id, citizen_cpr, consent_type, given_by_type, purpose, given_at,
              valid_until, collected_by, consent_form, recorded_at)
            VALUES (:id, :cpr, 'CONSENT', 'CITIZEN', 'care-coordination', :given, :until,
              'Karen Holm', 'WRITTEN', :given)""")
        .param("id", id)
        .param("cpr", CPR)
        .param("given", given)
        .param("until", given.plusYears(1))
        .update();
    jdbc.sql(
            "INSERT INTO consent_recipient (consent_id, ordinal, kind, sor) VALUES (:id, 0,"
                + " 'organisation', '990031000016002')")
        .param("id", id)
        .update();
    for (String category : List.of("social-conditions", "current-treatment")) {
      jdbc.sql("INSERT INTO consent_category (consent_id, code) VALUES (:id, :code)")
          .param("id", id)
          .param("code", category)
          .update();
    }
    return id;
  }

  private static List<String> git(String... arguments) throws IOException, InterruptedException {
    String out = new String(gitBytes(arguments), StandardCharsets.UTF_8).strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  // Empty when git or the commit is not there (a shallow clone, a source archive).
  private static byte[] gitBytes(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", TestFiles.REPO.toString()));
    command.addAll(List.of(arguments));
    Process git;
    try {
      git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException noGit) {
      return new byte[0];
    }
    byte[] out = git.getInputStream().readAllBytes();
    return git.waitFor() == 0 ? out : new byte[0];
  }
}
