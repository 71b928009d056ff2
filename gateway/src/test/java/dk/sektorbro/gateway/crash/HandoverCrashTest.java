package dk.sektorbro.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.inbound.HospitalMessages;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The gateway killed (SIGKILL) after a hospital's message was written into the hand-over folder and
 * before its journal row was committed: the test holds a SHARE lock on inbound_message, so the
 * reception's INSERT waits while the file is already there, and the kill comes exactly in that
 * window (no timing luck). The municipal system's importer then takes the file; the hospital, which
 * never got an answer, sends the message again to the restarted gateway. It must be answered ok and
 * journaled once, and no second file may appear for the importer to import a second time.
 */
@Tag("integration")
@Execution(ExecutionMode.CONCURRENT)
class HandoverCrashTest {

  private static final Duration START = Duration.ofMinutes(Long.getLong("kill.start.minutes", 10));
  private static final String RECEIVER = HospitalMessages.SOCIAL_PSYCHIATRY.gln();

  @TempDir Path root;

  @Test
  void killedBetweenTheHandoverFileAndItsCommit_theResendWritesNoSecondFile() throws Exception {
    String jdbcUrl = TestDatabase.newDatabaseUrl();
    Path dataDir = root.resolve("data");
    Path logs =
        Path.of("target", "kill-test-logs", "handover-" + System.nanoTime()).toAbsolutePath();
    GatewayProcess node =
        new GatewayProcess(
            "node",
            dataDir,
            GatewayProcess.freePort(),
            logs,
            List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--gateway.conformance.mode=fast"));
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(
                "0503455012", HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
            Clock.systemUTC());
    String headerId = message.getEntryFirstRep().getResource().getIdElement().getIdPart();
    byte[] json =
        FhirContext.forR4Cached()
            .newJsonParser()
            .encodeResourceToString(message)
            .getBytes(StandardCharsets.UTF_8);
    Path folder = dataDir.resolve("handover").resolve(RECEIVER);
    Path handedOver = folder.resolve(headerId + ".json");
    Path imported = Files.createDirectories(root.resolve("imported")).resolve(headerId + ".json");
    try {
      node.start(START);
      try (Connection blocker = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
          s.execute("LOCK TABLE inbound_message IN SHARE MODE");
        }
        GatewayClient intake = node.intake();
        CompletableFuture<Integer> first =
            CompletableFuture.supplyAsync(
                () ->
                    intake.post("/fhir/$process-message", "application/fhir+json", json).status());
        waitFor(() -> Files.exists(handedOver), Duration.ofMinutes(3));
        assertThat(first).as("the first reception waits for its journal row").isNotDone();
        node.killJvm();
        blocker.rollback();
      }
      // The importer takes the file (and imports the message) while the gateway is down.
      Files.move(handedOver, imported);
      assertThat(journalRows(jdbcUrl, headerId)).as("nothing committed at the kill").isZero();

      node.start(START);
      GatewayClient.Response resend =
          node.intake().post("/fhir/$process-message", "application/fhir+json", json);

      assertThat(resend.status()).as(resend.body()).isEqualTo(200);
      assertThat(resend.body().replaceAll("\\s", "")).contains("\"code\":\"ok\"");
      assertThat(journalRows(jdbcUrl, headerId)).isEqualTo(1);
      assertThat(handedOver)
          .as("a second file of a message the importer already took: imported twice")
          .doesNotExist();
      try (var files = Files.list(folder)) {
        assertThat(files.map(p -> p.getFileName().toString()).toList())
            .as("no other file left in the importer's folder")
            .isEmpty();
      }
      assertThat(node.stop()).isIn(0, 143);
    } finally {
      node.destroy();
    }
  }

  private static long journalRows(String jdbcUrl, String headerId) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(*) FROM inbound_message WHERE message_header_id = ?"
                    + " AND response_code = 'ok' AND handover_status = 'HANDED_OVER'")) {
      s.setString(1, headerId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void waitFor(Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.holds()) {
      assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
      GatewayProcess.sleep(20);
    }
  }
}
