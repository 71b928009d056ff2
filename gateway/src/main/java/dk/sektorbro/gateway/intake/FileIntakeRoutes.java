package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.platform.FileCooldown;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One file-drop route per configured source: {@code <data-dir>/inbox/<source>/}. A file is read
 * only once it has not changed for {@code gateway.intake.file-stable-after} (Camel's {@code
 * readLock=changed} with a minimum age), so a writer that writes in parts without renaming is not
 * read early; hidden names and {@code .tmp}/{@code .part} suffixes are never read. A file is
 * deleted only after it is in the journal; one that cannot be journaled goes to the error folder
 * with a FAILED entry, or (journal down) waits with back-off in {@link FileCooldown}. A file is
 * read only while the pipeline's stages have room ({@code gateway.pipeline.max-in-flight}).
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
          .bean(fileIntake, "receive('" + source + "', ${file:absolute.path})")
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

  private String inboxUri(String source) {
    Path inbox = properties.inboxDir().resolve(source).toAbsolutePath();
    GatewayProperties.Intake intake = properties.intake();
    long stable = intake.fileStableAfter().toMillis();
    long check = Math.max(100, Math.min(1000, stable / 2));
    return "file:"
        + inbox
        + "?delete=true&autoCreate=true"
        + "&readLock=changed&readLockMinAge="
        + stable
        + "&readLockCheckInterval="
        + check
        // A file still changing after this long is left for the next poll (no thread waits
        // forever).
        + "&readLockTimeout="
        + (stable * 2 + check * 4)
        + "&readLockLoggingLevel=OFF"
        + "&filter=#fileCooldown"
        + "&exclude=RAW(.*\\.(tmp|part|partial)$)"
        + "&sortBy=file:modified"
        + "&delay="
        + intake.filePollDelay().toMillis()
        + "&maxMessagesPerPoll="
        + intake.maxFilesPerPoll();
  }
}
