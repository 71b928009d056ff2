package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.intake.IntakeResult.Outcome;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.platform.FileCooldown;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.platform.web.MessageBundle;
import dk.sektorbro.gateway.support.RouteTestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * The real {@link FileIntakeRoutes} with the real {@link FileIntake}, {@link FileCooldown}, {@link
 * MappingRegistry} (the repository's mappings) and {@link PipelineDispatcher} in a plain Camel
 * context on real files; only the journaling {@link IntakeService} is an in-memory subclass (it
 * needs the database). The route is advised by its id {@link RouteIds#intakeFile}.
 */
// Spring's output capture is one stack for the whole test engine: a class capturing beside this one
// (the fast tier runs classes side by side) could pop this class's capture, and its log lines would
// go unseen (seen once: "no more files ..." missing). Classes that capture run one at a time.
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
@ExtendWith(OutputCaptureExtension.class)
class FileIntakeRouteAdviceTest {

  private static final String SOURCE = "nordby-hjemmepleje";

  @TempDir Path data;

  private final AtomicInteger receives = new AtomicInteger();

  /** When each read handed the file to intake (System.nanoTime). */
  private final List<Long> readAt = new CopyOnWriteArrayList<>();

  private final List<String> refusals = new CopyOnWriteArrayList<>();

  /** The names of the files intake received, in the order it received them. */
  private final List<String> readNames = new CopyOnWriteArrayList<>();

  private final DefaultCamelContext camel = new DefaultCamelContext();
  private MockEndpoint journaled;

  @AfterEach
  void stopCamel() {
    camel.stop();
  }

  @Test
  void fileThatCannotBeJournaled_isMovedToTheErrorFolderOnce_andNotReadAgain() throws Exception {
    start(new Journal(true, false));
    journaled.expectedMessageCount(1);
    Path poison = drop("poison.csv", "a record our mapper chokes on");

    journaled.assertIsSatisfied(5_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.notExists(poison));

    // Polls go on every 100 ms; the file is not read again.
    await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(receives).hasValue(1);
    assertThat(refusals).hasSize(1);
    assertThat(refusals.get(0))
        .startsWith("NOT_JOURNALED|poison.csv|")
        .contains("kept in the error folder");
    List<Path> kept = filesUnder(data.resolve("error").resolve(SOURCE));
    assertThat(kept).hasSize(1);
    assertThat(Files.readString(kept.get(0))).isEqualTo("a record our mapper chokes on");
    assertThat(refusals.get(0)).endsWith(kept.get(0).toString());
  }

  @Test
  void fileWhileTheJournalIsDown_staysInTheInbox_andIsRetriedWithBackOff() throws Exception {
    start(new Journal(true, true));
    Path waiting = drop("waiting.csv", "a good record");

    await().atMost(Duration.ofSeconds(5)).until(() -> receives.get() >= 1);
    // Without the cooldown it would be read on every 100 ms poll; with it the second try is
    // a second later at the earliest. The 700 ms are counted from the first read itself, not from
    // when this thread saw it: on a loaded machine that can be late enough for the second try.
    long window = Duration.ofMillis(700).toNanos();
    await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - readAt.get(0) > window);
    assertThat(readAt).filteredOn(t -> t - readAt.get(0) < window).hasSize(1);
    assertThat(waiting).exists().hasContent("a good record");
    assertThat(filesUnder(data.resolve("error"))).isEmpty();
    journaled.expectedMessageCount(0);
    journaled.assertIsSatisfied();
  }

  /**
   * The database away while the file was read (the connection pool waited 30 s for it) and back by
   * the time the refusal is written: the file is not the problem, so it waits in the inbox instead
   * of being kept in the error folder as FAILED for an administrator (DatabaseOutageTest saw it).
   */
  @Test
  void fileReadWhileTheDatabaseWasAway_staysInTheInbox_evenIfTheRefusalCouldBeWritten()
      throws Exception {
    start(new Journal(false, false).databaseAwayOnReceive());
    Path waiting = drop("waiting.csv", "a good record");

    await().atMost(Duration.ofSeconds(5)).until(() -> receives.get() >= 1);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertThat(waiting).exists().hasContent("a good record");
    assertThat(refusals).isEmpty();
    assertThat(filesUnder(data.resolve("error"))).isEmpty();
  }

  @Test
  void emptyFile_isTakenOnceStable_andHandedToIntake() throws Exception {
    start(new Journal(false, false));
    journaled.expectedMessageCount(1);
    // A zero-byte file: Camel's changed read lock takes none by default (it may still be written),
    // so it lay in the inbox unseen for ever; intake journals and refuses it as empty instead.
    Path empty = drop("empty.xml", "");

    journaled.assertIsSatisfied(5_000);
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.notExists(empty));
    assertThat(receives.get() + refusals.size()).as("handed to intake once").isEqualTo(1);
  }

  /**
   * Two readers of one inbox for up to a heartbeat (a leader whose database session was lost, and
   * the node that took the leadership): one listed the file, the other read and deleted it first.
   * The first must not log that the file was left in the inbox (it is gone, and journaled by the
   * other).
   */
  @Test
  void fileTakenByAnotherReaderBeforeItWasRead_isNoWarning(CapturedOutput output) throws Exception {
    Path listed = drop("taken.csv", "a good record");
    Files.delete(listed); // the other reader's read and delete
    FileIntake reader =
        new FileIntake(
            new Journal(false, false),
            RouteTestProperties.gateway(
                data,
                RouteTestProperties.repositoryMappings(),
                Duration.ofMillis(100),
                Duration.ofMillis(200)),
            new FileCooldown(Clock.systemUTC()));

    assertThatThrownBy(() -> reader.receive(SOURCE, listed.toString()))
        .isInstanceOf(FileIntake.FileTaken.class);

    assertThat(output.getOut())
        .doesNotContain("left in the inbox")
        .contains("another reader took it");
    assertThat(receives).hasValue(0);
    assertThat(refusals).isEmpty();
  }

  /**
   * A source that writes version 1 and version 2 of a plan within the same millisecond (a batch
   * export) must have them read in that order: version 1 read after version 2 is refused as
   * superseded. Files of one modification time are read by name, and a backlog larger than one poll
   * is sorted before the poll's share is taken (Camel would otherwise take the first files the
   * directory lists, and sort only those).
   */
  @Test
  void filesOfTheSameModificationTime_areReadByName_acrossPolls() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      names.add(String.format("plan-%02d.csv", i));
    }
    List<String> written = new ArrayList<>(names);
    Collections.shuffle(written, new Random(16));
    FileTime sameMillisecond = FileTime.from(Instant.now().minusSeconds(5));
    for (String name : written) {
      Files.setLastModifiedTime(drop(name, "a good record"), sameMillisecond);
    }

    start(new Journal(false, false), 5);

    await().atMost(Duration.ofSeconds(10)).until(() -> readNames.size() == names.size());
    assertThat(readNames).containsExactlyElementsOf(names);
  }

  // --- wiring -----------------------------------------------------------------------------------

  private void start(IntakeService intake) throws Exception {
    start(intake, 500);
  }

  private void start(IntakeService intake, int maxFilesPerPoll) throws Exception {
    FileIntakeRouteWiring.addTo(
        camel,
        RouteTestProperties.gateway(
            data,
            RouteTestProperties.repositoryMappings(),
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            maxFilesPerPoll),
        intake);
    AdviceWith.adviceWith(
        camel,
        RouteIds.intakeFile(SOURCE),
        a -> a.weaveById("journal-" + SOURCE).after().to("mock:journaled"));
    camel.start();
    journaled = camel.getEndpoint("mock:journaled", MockEndpoint.class);
  }

  private Path drop(String name, String content) throws IOException {
    Path inbox = Files.createDirectories(data.resolve("inbox").resolve(SOURCE));
    // Written under a .tmp name and renamed, as the README asks of writers.
    Path tmp = Files.writeString(inbox.resolve(name + ".tmp"), content, StandardCharsets.UTF_8);
    return Files.move(tmp, inbox.resolve(name));
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  /**
   * The journaling side of intake without a database: {@code receive} fails as a bug of ours would;
   * {@code refuse} records the FAILED entry, or fails too when the journal is down.
   */
  private final class Journal extends IntakeService {
    private final boolean receiveFails;
    private final boolean journalDown;
    private boolean databaseAwayOnReceive;

    Journal databaseAwayOnReceive() {
      databaseAwayOnReceive = true;
      return this;
    }

    Journal(boolean receiveFails, boolean journalDown) {
      super(
          null,
          null,
          null,
          null,
          null,
          null,
          new SimpleMeterRegistry(),
          MessageBundle.standalone());
      this.receiveFails = receiveFails;
      this.journalDown = journalDown;
    }

    @Override
    public IntakeResult receive(IntakeRequest request) {
      readAt.add(System.nanoTime());
      readNames.add(request.originalName());
      receives.incrementAndGet();
      if (databaseAwayOnReceive) {
        throw new CannotGetJdbcConnectionException(
            "Failed to obtain JDBC Connection", new SQLTransientConnectionException("timed out"));
      }
      if (receiveFails) {
        throw journalDown
            ? new UncheckedIOException(new IOException("database away"))
            : new IllegalStateException("mapper bug");
      }
      return result(Outcome.ACCEPTED, null);
    }

    @Override
    IntakeResult journalRefusal(IntakeRequest request, Outcome outcome, String reason) {
      if (journalDown) {
        throw new UncheckedIOException(new IOException("database away"));
      }
      refusals.add(
          outcome + "|" + request.originalName() + "|" + reason + "|" + request.archivePath());
      return result(outcome, reason);
    }

    private IntakeResult result(Outcome outcome, String reason) {
      return new IntakeResult(
          "entry-" + receives.get(),
          outcome == Outcome.ACCEPTED ? MessageState.RECEIVED : MessageState.FAILED,
          false,
          outcome,
          reason,
          List.of());
    }
  }
}
