package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.delivery.HttpHospitalPeer.Mode;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestDatabase;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The retry driver lives in the database: a message queued for retry when the gateway stops is
 * retried after the restart and delivered exactly once.
 */
@Tag("integration")
class DeliveryRestartTest {

  @TempDir Path dataDir;

  /** Both runs of the gateway share one database, as after a restart. */
  private final String databaseUrl = TestDatabase.newDatabaseUrl();

  @Test
  void messageQueuedForRetry_isDeliveredOnce_afterRestart() throws Exception {
    try (HttpHospitalPeer peer = new HttpHospitalPeer()) {
      peer.mode(Mode.DOWN);
      String id;
      try (ConfigurableApplicationContext first = start(peer)) {
        String base = "http://localhost:" + first.getEnvironment().getProperty("local.server.port");
        SampleConsents.recordAll(new GatewayClient(base, "admin", "a"));
        byte[] record =
            new String(
                    TestFiles.read(
                        TestFiles.TEST_MESSAGES.resolve(
                            "nordby-socialpsykiatri/medicin-spoergsmaal.json")),
                    StandardCharsets.UTF_8)
                .replace("SP-2026-000103", "SP-RESTART-1")
                .getBytes(StandardCharsets.UTF_8);
        id =
            new GatewayClient(base, "intake", "b")
                .post("/api/v1/records/nordby-socialpsykiatri", "application/json", record)
                .json()
                .get("id")
                .asText();
        Journal journal = first.getBean(Journal.class);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> state(journal, id) == MessageState.RETRYING);
        assertThat(first.getBean(DeliverySchedule.class).find(id)).isPresent();
      }
      peer.mode(Mode.OK);
      try (ConfigurableApplicationContext second = start(peer)) {
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
      }
    }
  }

  private static MessageState state(Journal journal, String id) {
    return journal.find(id).map(JournalEntry::state).orElse(null);
  }

  private ConfigurableApplicationContext start(HttpHospitalPeer peer) {
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
            "--gateway.delivery.default-route.transport=HTTP",
            "--gateway.delivery.default-route.url=" + peer.url(),
            "--gateway.delivery.retry.initial-delay=300ms",
            "--gateway.delivery.retry.max-delay=1s",
            "--gateway.delivery.schedule-poll=100ms",
            "--GATEWAY_ADMIN_PASSWORD=a",
            "--GATEWAY_INTAKE_PASSWORD=b",
            "--GATEWAY_OPERATOR_PASSWORD=c");
  }
}
