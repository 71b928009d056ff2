package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.careplan.DocumentDeliveryRepository.State;
import dk.sektorbro.gateway.careplan.DocumentEndpoint.Mode;
import dk.sektorbro.gateway.careplan.DocumentEndpoint.Received;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestDatabase;
import dk.sektorbro.gateway.support.TestFiles;
import dk.sektorbro.gateway.validation.MedComChains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The document's retry driver lives in the database: a document queued for its FHIR endpoint when
 * the gateway stops is POSTed after the restart, exactly once.
 */
@Tag("integration")
class DocumentDeliveryRestartTest {

  private static final String P3_GLN = "5790009900030";

  @TempDir Path dataDir;

  /** Both runs of the gateway share one database, as after a restart. */
  private final String databaseUrl = TestDatabase.newDatabaseUrl();

  @Test
  void documentQueuedForRetry_isDeliveredOnce_afterRestart() throws Exception {
    try (DocumentEndpoint endpoint = new DocumentEndpoint()) {
      endpoint.mode(Mode.DOWN);
      String id;
      String document;
      try (ConfigurableApplicationContext first = start(endpoint)) {
        String base = "http://localhost:" + first.getEnvironment().getProperty("local.server.port");
        // A §13a discharge agreement: shared under the Psychiatry Act, no consent needed.
        GatewayClient.Response response =
            new GatewayClient(base, "intake", "b")
                .post(
                    "/api/v1/records/" + SamplePlans.SOURCE,
                    "application/json",
                    Files.readAllBytes(SamplePlans.path("udskrivningsaftale.json")));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        id = response.json().get("id").asText();
        Journal journal = first.getBean(Journal.class);
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> state(journal, id) == MessageState.SENT);
        document = first.getBean(DocumentRepository.class).findByJournalId(id).orElseThrow().id();
        DocumentDeliveryRepository deliveries = first.getBean(DocumentDeliveryRepository.class);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> deliveries.find(document).orElseThrow().attempts() >= 1);
        assertThat(deliveries.find(document).orElseThrow().state()).isEqualTo(State.PENDING);
      }
      endpoint.mode(Mode.TAKE);
      try (ConfigurableApplicationContext second = start(endpoint)) {
        DocumentDeliveryRepository deliveries = second.getBean(DocumentDeliveryRepository.class);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> deliveries.find(document).orElseThrow().state() == State.DELIVERED);
        await()
            .during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> endpoint.receivedFor(document).stream().filter(Received::taken).count() == 1);
        assertThat(second.getBean(Journal.class).history(id).toString())
            .contains("posted to " + endpoint.url());
      }
    }
  }

  private static MessageState state(Journal journal, String id) {
    return journal.find(id).map(JournalEntry::state).orElse(null);
  }

  private ConfigurableApplicationContext start(DocumentEndpoint endpoint) {
    return new SpringApplicationBuilder(GatewayApplication.class)
        .run(
            "--server.port=0",
            GatewayIntegrationTest.QUICK_STOP_ARGUMENT,
            "--spring.datasource.url=" + databaseUrl,
            "--spring.datasource.username=postgres",
            "--gateway.data-dir=" + dataDir,
            "--gateway.mappings-dir=" + TestFiles.MAPPINGS,
            "--gateway.addressing.bootstrap-file="
                + TestFiles.REPO.resolve("registry/synthetic-sor.xml"),
            "--gateway.conformance.package-dir=" + MedComChains.PACKAGES,
            "--gateway.conformance.profiles-dir=" + TestFiles.REPO.resolve("profiles"),
            "--gateway.delivery.recipients." + P3_GLN + ".documents-url=" + endpoint.url(),
            "--gateway.delivery.retry.initial-delay=300ms",
            "--gateway.delivery.retry.max-delay=1s",
            "--gateway.delivery.schedule-poll=100ms",
            "--GATEWAY_ADMIN_PASSWORD=a",
            "--GATEWAY_INTAKE_PASSWORD=b",
            "--GATEWAY_OPERATOR_PASSWORD=c");
  }
}
