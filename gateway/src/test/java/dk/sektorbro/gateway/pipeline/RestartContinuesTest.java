package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.CheapPasswords;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Nothing is lost between intake and delivery: records left half-way (received but not translated,
 * validated but not delivered) when the gateway stops are finished after a restart, each delivered
 * exactly once.
 */
@Tag("integration")
class RestartContinuesTest {

  @TempDir Path dataDir;

  @Test
  void unfinishedEntries_continueAfterRestart_andAreDeliveredOnce() throws Exception {
    List<Path> samples = TestFiles.validSamples("nordby-socialpsykiatri");
    try (ConfigurableApplicationContext first = start()) {
      SampleConsents.recordAll(
          new GatewayClient(
              "http://localhost:" + first.getEnvironment().getProperty("local.server.port"),
              "admin",
              "a-restart-test-pw"));
      CamelContext camel = first.getBean(CamelContext.class);
      Journal journal = first.getBean(Journal.class);
      camel.getRouteController().stopRoute(RouteIds.DELIVER);
      drop(samples.subList(0, 2));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(journal, MessageState.VALIDATED) == 2);
      camel.getRouteController().stopRoute(RouteIds.TRANSLATE);
      drop(samples.subList(2, samples.size()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> inboxEmpty() && count(journal, MessageState.RECEIVED) == 3);
      assertThat(outboxFiles()).isEmpty();
    }

    try (ConfigurableApplicationContext second = start()) {
      Journal journal = second.getBean(Journal.class);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> count(journal, MessageState.SENT) == samples.size());
      List<JournalEntry> sent =
          journal.search(new JournalQuery(MessageState.SENT, null, null, null, null, 0, 50));
      assertThat(outboxFiles()).hasSize(samples.size());
      for (JournalEntry entry : sent) {
        assertThat(journal.history(entry.id()))
            .extracting(e -> e.state())
            .containsSubsequence(
                MessageState.RECEIVED,
                MessageState.TRANSLATED,
                MessageState.VALIDATED,
                MessageState.SENT);
        assertThat(journal.history(entry.id()))
            .filteredOn(e -> e.state() == MessageState.SENT)
            .hasSize(1);
      }
    }
  }

  private ConfigurableApplicationContext start() {
    // Test passwords at BCrypt cost 4, as in the shared applications (CheapPasswords): each of
    // the consents recorded below is a request checked against the admin's password.
    return new SpringApplicationBuilder(GatewayApplication.class, CheapPasswords.class)
        .run(
            "--server.port=0",
            "--gateway.data-dir=" + dataDir,
            "--gateway.mappings-dir=" + TestFiles.MAPPINGS,
            "--gateway.addressing.bootstrap-file="
                + TestFiles.REPO.resolve("registry/synthetic-sor.xml"),
            "--gateway.intake.file-poll-delay=100ms",
            // Files are renamed in complete (drop below): no need to wait the default 5 s for them
            // to stop changing, as in the shared test application.
            "--gateway.intake.file-stable-after=1s",
            // The stopped stages' queues still hold ids when the first run closes, and Camel waits
            // the whole shutdown timeout (5 s) for them in vain: nothing consumes a stopped
            // route's queue. They are left for the restart either way (the queues are not drained).
            "--camel.main.shutdown-timeout=1",
            "--GATEWAY_ADMIN_PASSWORD=a-restart-test-pw",
            "--GATEWAY_INTAKE_PASSWORD=b-restart-test-pw",
            "--GATEWAY_OPERATOR_PASSWORD=c-restart-test-pw");
  }

  private void drop(List<Path> samples) throws IOException {
    Path inbox = Files.createDirectories(dataDir.resolve("inbox/nordby-socialpsykiatri"));
    for (Path sample : samples) {
      Path temp = inbox.resolve(sample.getFileName() + ".tmp");
      Files.copy(sample, temp);
      Files.move(temp, inbox.resolve(sample.getFileName()));
    }
  }

  private boolean inboxEmpty() throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("inbox/nordby-socialpsykiatri"))) {
      return files.findAny().isEmpty();
    }
  }

  private List<Path> outboxFiles() throws IOException {
    Path outbox = dataDir.resolve("outbox");
    if (!Files.exists(outbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(outbox)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static long count(Journal journal, MessageState state) {
    return journal.count(new JournalQuery(state, null, null, null, null, 0, 1));
  }
}
