package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.platform.FileCooldown;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.FileConstants;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.stereotype.Component;

/**
 * One file-drop route per configured source: {@code <data-dir>/inbox/<source>/}. A file is read
 * only once it has not changed for {@code gateway.intake.file-stable-after} (Camel's {@code
 * readLock=changed} with a minimum age), so a writer that writes in parts without renaming is not
 * read early; hidden names and {@code .tmp}/{@code .part} suffixes are never read. A file is
 * deleted only after it is in the journal; one that cannot be journaled goes to the error folder
 * with a FAILED entry, or (journal down) waits with back-off in {@link FileCooldown}. A file is
 * read only while the pipeline's stages have room ({@code gateway.pipeline.max-in-flight}). The
 * poll runs when a file arrives ({@link InboxWatch}) and at the latest every {@code
 * gateway.intake.file-poll-delay}. Files in subfolders are moved up into the inbox first ({@link
 * InboxSubfolders}).
 */
@Component
public class FileIntakeRoutes extends RouteBuilder {

  private static final Duration ROOM_PATIENCE = Duration.ofSeconds(30);

  private final MappingRegistry mappings;
  private final FileIntake fileIntake;
  private final GatewayProperties properties;
  private final PipelineDispatcher pipeline;

  public FileIntakeRoutes(
      MappingRegistry mappings,
      FileIntake fileIntake,
      GatewayProperties properties,
      PipelineDispatcher pipeline) {
    this.mappings = mappings;
    this.fileIntake = fileIntake;
    this.properties = properties;
    this.pipeline = pipeline;
  }

  @Override
  public void configure() {
    for (MappingDefinition mapping : mappings.all()) {
      String source = mapping.source();
      getCamelContext()
          .getRegistry()
          .bind(
              schedulerName(source),
              new WatchedPoll(
                  inbox(source),
                  properties.intake().filePollDelay(),
                  new InboxSubfolders(
                      source, inbox(source), properties.intake().fileStableAfter(), fileIntake)));
      // @formatter:off
      from(inboxUri(source))
          .routeId(RouteIds.intakeFile(source))
          // FileIntake logs the failure by id and type; Camel must not log it again with its text.
          .onException(Exception.class)
          .handled(false)
          .logExhausted(false)
          .logStackTrace(false)
          .end()
          // Back-pressure: a file is read only when the stages have room for it; else this
          // consumer waits, and the files behind it wait in the inbox (durable), not in memory.
          .process(
              exchange -> {
                if (!pipeline.awaitRoom(ROOM_PATIENCE)) {
                  throw new PipelineFull();
                }
              })
          .id("await-room-" + source)
          // Called directly, not through Camel's bean binding: that parses and evaluates an
          // expression and calls by reflection for every file (issue 14).
          .process(
              exchange -> {
                Message file = exchange.getMessage();
                String path = file.getHeader(FileConstants.FILE_ABSOLUTE_PATH, String.class);
                file.setBody(fileIntake.receive(source, path));
              })
          .id("journal-" + source);
      // @formatter:on
    }
  }

  /**
   * The stages stayed full (or Camel is stopping): the file stays in the inbox for a later poll.
   */
  static final class PipelineFull extends RuntimeException {
    PipelineFull() {
      super(
          "the pipeline stages are full; the file stays in the inbox for a later poll",
          null,
          false,
          false);
    }
  }

  private Path inbox(String source) {
    return properties.inboxDir().resolve(source).toAbsolutePath();
  }

  private static String schedulerName(String source) {
    return "inboxWatch-" + source;
  }

  private String inboxUri(String source) {
    GatewayProperties.Intake intake = properties.intake();
    long stable = intake.fileStableAfter().toMillis();
    // A file younger than `stable` is looked at again after `check`: a fraction of `stable`, so a
    // renamed file (a few ms old when its event arrives) is not held back for long.
    long check = Math.max(5, Math.min(1000, stable / 2));
    return "file:"
        + inbox(source)
        + "?delete=true&autoCreate=true"
        + "&readLock=changed&readLockMinAge="
        + stable
        + "&readLockCheckInterval="
        + check
        // A file still changing after this long is left for the next poll (no thread waits
        // forever).
        + "&readLockTimeout="
        + (stable * 2 + Math.max(check * 4, 1000))
        + "&readLockLoggingLevel=OFF"
        // An empty file is taken too once it is stable (Camel's default minimum is one byte): it
        // is journaled and refused as empty, instead of lying in the inbox unseen for ever.
        + "&readLockMinLength=0"
        + "&filter=#fileCooldown"
        + "&exclude=RAW(.*\\.(tmp|part|partial)$)"
        // Oldest first, and by name among files of the same modification time (a batch export
        // writes several within one millisecond: version 1 of a plan read after version 2 is
        // refused as superseded). Not eager: a backlog larger than one poll is listed and sorted
        // whole before the poll's share is taken, instead of sorting only the first files the
        // directory happens to list.
        + "&sortBy=file:modified;file:name"
        + "&eagerMaxMessagesPerPoll=false"
        + "&scheduler=#"
        + schedulerName(source)
        + "&maxMessagesPerPoll="
        + intake.maxFilesPerPoll();
  }

  /**
   * Camel's side of {@link InboxWatch}: the file consumer's poll runs when its folder changes, and
   * at the latest every {@code fallback}, instead of on a fixed timer only.
   */
  static final class WatchedPoll extends ServiceSupport implements ScheduledPollConsumerScheduler {

    private final Path folder;
    private final Duration fallback;
    private final InboxSubfolders subfolders;
    private CamelContext camelContext;
    private Runnable task;
    private InboxWatch watch;

    WatchedPoll(Path folder, Duration fallback, InboxSubfolders subfolders) {
      this.folder = folder;
      this.fallback = fallback;
      this.subfolders = subfolders;
    }

    @Override
    public void onInit(Consumer consumer) {
      // the task handed to scheduleTask is all this scheduler needs of the consumer
    }

    @Override
    public synchronized void scheduleTask(Runnable task) {
      this.task = task;
    }

    @Override
    public synchronized void unscheduleTask() {
      stopWatch();
    }

    @Override
    public synchronized void startScheduler() {
      if (watch == null && task != null) {
        Runnable poll = task;
        // Files in subfolders are moved up first, then read by this poll or the next.
        watch =
            new InboxWatch(
                folder,
                fallback,
                () -> {
                  subfolders.sweep();
                  poll.run();
                });
        watch.start();
      }
    }

    @Override
    public synchronized boolean isSchedulerStarted() {
      return watch != null;
    }

    @Override
    protected synchronized void doStop() {
      stopWatch();
    }

    private void stopWatch() {
      if (watch != null) {
        watch.close();
        watch = null;
      }
    }

    @Override
    public CamelContext getCamelContext() {
      return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
      this.camelContext = camelContext;
    }
  }
}
