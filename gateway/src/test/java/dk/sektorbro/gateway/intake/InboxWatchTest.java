package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.intake.IntakeResult.Outcome;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.web.MessageBundle;
import dk.sektorbro.gateway.support.RouteTestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-driven inbox: the real {@link FileIntakeRoutes} in a plain Camel context on a real
 * folder reads a file renamed into it at once, although its timed poll is a minute away; and the
 * timed poll alone still runs when no event comes. Only the journaling {@link IntakeService} is an
 * in-memory subclass (it needs the database).
 */
class InboxWatchTest {

  private static final String SOURCE = "nordby-hjemmepleje";

  @TempDir Path data;

  private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
  private DefaultCamelContext camel;

  @AfterEach
  void stopCamel() {
    if (camel != null) {
      camel.stop();
    }
  }

  @Test
  void fileRenamedIntoTheInbox_isReadAtOnce_notAtTheNextTimedPoll() throws Exception {
    start(Duration.ofMinutes(1), Duration.ofMillis(10));
    Path inbox = Files.createDirectories(data.resolve("inbox").resolve(SOURCE));
    // Past Camel's first poll (its default comes 1 s after start); the next timed one would be a
    // minute later.
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);

    long[] dropped = new long[3];
    for (int i = 0; i < 3; i++) {
      Path tmp = Files.writeString(inbox.resolve("r" + i + ".tmp"), "record " + i);
      Files.move(tmp, inbox.resolve("r" + i + ".csv"));
      dropped[i] = System.nanoTime();
      // Read before the next one is dropped: each file brings its own read.
      String name = "r" + i + ".csv";
      await().atMost(Duration.ofSeconds(10)).until(() -> receivedAt.containsKey(name));
    }

    assertThat(receivedAt).hasSize(3);
    for (int i = 0; i < 3; i++) {
      long millis = (receivedAt.get("r" + i + ".csv") - dropped[i]) / 1_000_000;
      assertThat(millis).as("file %d read after %d ms", i, millis).isLessThan(5_000);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.list(inbox).findAny().isEmpty());
  }

  // A Latin-1 name from an old system or a Windows share ("Notat_\xe6.csv"), or any non-ASCII name
  // when the JVM runs without a UTF-8 locale (LANG unset, as under systemd): Java decodes the bytes
  // to U+FFFD, the decoded name names no file, and the consumer never read it, nor said so.
  @Test
  void fileWhoseNameIsNotInThePlatformEncoding_isRenamedReadable_andRead() throws Exception {
    Path inbox = Files.createDirectories(data.resolve("inbox").resolve(SOURCE));
    shell(inbox, "printf 'record 7' > \"$0/$(printf 'r7-\\346').csv\"");
    // A writer's hidden or temporary name is its own business until it renames it.
    shell(inbox, "printf 'record 8' > \"$0/.$(printf 'r8-\\346').csv\"");
    shell(inbox, "printf 'record 9' > \"$0/$(printf 'r9-\\346').csv.part\"");
    start(Duration.ofMinutes(1), Duration.ofMillis(10));

    await().atMost(Duration.ofSeconds(10)).until(() -> receivedAt.containsKey("r7-_.csv"));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Files.list(inbox).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(".r8-\uFFFD.csv", "r9-\uFFFD.csv.part"));
    assertThat(receivedAt).containsOnlyKeys("r7-_.csv");
  }

  private static void shell(Path folder, String command) throws Exception {
    Process sh = new ProcessBuilder("sh", "-c", command, folder.toString()).inheritIO().start();
    assertThat(sh.waitFor()).isZero();
  }

  @Test
  void withoutFileEvents_theTimedPollStillRuns_andStopsOnClose() throws Exception {
    Path folder = Files.createDirectories(data.resolve("quiet"));
    AtomicInteger polls = new AtomicInteger();
    InboxWatch watch = new InboxWatch(folder, Duration.ofMillis(50), polls::incrementAndGet);
    watch.start();
    assertThat(watch.watching()).isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> polls.get() >= 5);
    watch.close();
    int afterClose = polls.get();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(polls.get()).isLessThanOrEqualTo(afterClose + 1);
  }

  // --- wiring -----------------------------------------------------------------------------------

  private void start(Duration pollDelay, Duration stableAfter) throws Exception {
    camel = new DefaultCamelContext();
    FileIntakeRouteWiring.addTo(
        camel,
        RouteTestProperties.gateway(
            data, RouteTestProperties.repositoryMappings(), pollDelay, stableAfter),
        new Journal());
    camel.start();
  }

  /** Accepts every file and notes when it came (the database side of intake is not needed). */
  private final class Journal extends IntakeService {
    Journal() {
      super(
          null,
          null,
          null,
          null,
          null,
          null,
          new SimpleMeterRegistry(),
          MessageBundle.standalone());
    }

    @Override
    public IntakeResult receive(IntakeRequest request) {
      receivedAt.putIfAbsent(request.originalName(), System.nanoTime());
      assertThat(new String(request.payload(), StandardCharsets.UTF_8)).startsWith("record ");
      return new IntakeResult(
          "entry-" + request.originalName(),
          MessageState.RECEIVED,
          false,
          Outcome.ACCEPTED,
          null,
          List.of());
    }
  }
}
