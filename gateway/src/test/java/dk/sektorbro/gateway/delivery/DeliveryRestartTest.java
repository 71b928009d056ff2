package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.careplan.DocumentDeliveryRepository;
import dk.sektorbro.gateway.careplan.DocumentDeliveryRepository.State;
import dk.sektorbro.gateway.careplan.DocumentEndpoint;
import dk.sektorbro.gateway.careplan.DocumentRepository;
import dk.sektorbro.gateway.delivery.HttpHospitalPeer.Mode;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.CheapPasswords;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestDatabase;
import dk.sektorbro.gateway.support.TestFiles;
import dk.sektorbro.gateway.validation.MedComChains;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The retry drivers live in the database: a message queued for retry at its HTTP peer and a
 * care-plan document queued for its FHIR document endpoint when the gateway stops are delivered
 * after the restart, each exactly once. (One restart for both: each gateway start is the expensive
 * part of this test.)
 */
@Tag("integration")
class DeliveryRestartTest {

  /** The GP: messages go over HTTP to the hospital peer. */
  private static final String GP_GLN = "5790009900054";

  /** The hospital P3: the plan's CareCommunication to its postbox, the document to its endpoint. */
  private static final String P3_GLN = "5790009900030";

  private static final String PLANS = "nordby-planer";

  @TempDir Path dataDir;

  /** Both runs of the gateway share one database, as after a restart. */
  private final String databaseUrl = TestDatabase.newDatabaseUrl();

  @Test
  void messageAndDocumentQueuedForRetry_areDeliveredOnce_afterRestart() throws Exception {
    try (HttpHospitalPeer peer = new HttpHospitalPeer();
        DocumentEndpoint endpoint = new DocumentEndpoint()) {
      peer.mode(Mode.DOWN);
      endpoint.mode(DocumentEndpoint.Mode.DOWN);
      String id;
      String planId;
      String document;
      try (ConfigurableApplicationContext first = start(peer, endpoint)) {
        String base = "http://localhost:" + first.getEnvironment().getProperty("local.server.port");
        SampleConsents.recordAll(new GatewayClient(base, "admin", "a-restart-test-pw"));
        GatewayClient intake = new GatewayClient(base, "intake", "b-restart-test-pw");
        byte[] record = TestFiles.medicationQuestion("SP-RESTART-1");
        id =
            intake
                .post("/api/v1/records/nordby-socialpsykiatri", "application/json", record)
                .json()
                .get("id")
                .asText();
        // A §13a discharge agreement: shared under the Psychiatry Act, no consent needed.
        GatewayClient.Response plan =
            intake.post(
                "/api/v1/records/" + PLANS,
                "application/json",
                TestFiles.read(
                    TestFiles.TEST_MESSAGES.resolve(PLANS + "/udskrivningsaftale.json")));
        assertThat(plan.status()).as(plan.body()).isEqualTo(202);
        planId = plan.json().get("id").asText();

        Journal journal = first.getBean(Journal.class);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> state(journal, id) == MessageState.RETRYING);
        assertThat(first.getBean(DeliverySchedule.class).find(id)).isPresent();
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> state(journal, planId) == MessageState.SENT);
        document =
            first.getBean(DocumentRepository.class).findByJournalId(planId).orElseThrow().id();
        DocumentDeliveryRepository deliveries = first.getBean(DocumentDeliveryRepository.class);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> deliveries.find(document).orElseThrow().attempts() >= 1);
        assertThat(deliveries.find(document).orElseThrow().state()).isEqualTo(State.PENDING);
      }
      peer.mode(Mode.OK);
      endpoint.mode(DocumentEndpoint.Mode.TAKE);
      try (ConfigurableApplicationContext second = start(peer, endpoint)) {
        Journal journal = second.getBean(Journal.class);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> state(journal, id) == MessageState.ACKNOWLEDGED);
        JournalEntry entry = journal.find(id).orElseThrow();
        assertThat(
                peer.receivedFor(entry.messageHeaderId()).stream()
                    .filter(r -> r.answered() == Mode.OK))
            .hasSize(1);
        assertThat(second.getBean(DeliverySchedule.class).find(id)).isEmpty();

        DocumentDeliveryRepository deliveries = second.getBean(DocumentDeliveryRepository.class);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> deliveries.find(document).orElseThrow().state() == State.DELIVERED);
        await()
            .during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    endpoint.receivedFor(document).stream()
                            .filter(DocumentEndpoint.Received::taken)
                            .count()
                        == 1);
        assertThat(journal.history(planId).toString()).contains("posted to " + endpoint.url());
      }
    }
  }

  private static MessageState state(Journal journal, String id) {
    return journal.find(id).map(JournalEntry::state).orElse(null);
  }

  private ConfigurableApplicationContext start(HttpHospitalPeer peer, DocumentEndpoint endpoint) {
    // Test passwords at BCrypt cost 4, as in the shared applications (CheapPasswords): each of
    // the consents recorded below is a request checked against the admin's password.
    return new SpringApplicationBuilder(GatewayApplication.class, CheapPasswords.class)
        .run(
            "--server.port=0",
            "--spring.datasource.url=" + databaseUrl,
            "--spring.datasource.username=postgres",
            "--gateway.data-dir=" + dataDir,
            "--gateway.mappings-dir=" + TestFiles.MAPPINGS,
            "--gateway.addressing.bootstrap-file="
                + TestFiles.REPO.resolve("registry/synthetic-sor.xml"),
            "--gateway.conformance.package-dir=" + MedComChains.PACKAGES,
            "--gateway.conformance.profiles-dir=" + TestFiles.REPO.resolve("profiles"),
            "--gateway.delivery.recipients." + GP_GLN + ".transport=HTTP",
            "--gateway.delivery.recipients." + GP_GLN + ".url=" + peer.url(),
            "--gateway.delivery.recipients." + P3_GLN + ".documents-url=" + endpoint.url(),
            "--gateway.delivery.retry.initial-delay=300ms",
            "--gateway.delivery.retry.max-delay=1s",
            "--gateway.delivery.schedule-poll=100ms",
            "--GATEWAY_ADMIN_PASSWORD=a-restart-test-pw",
            "--GATEWAY_INTAKE_PASSWORD=b-restart-test-pw",
            "--GATEWAY_OPERATOR_PASSWORD=c-restart-test-pw");
  }
}
