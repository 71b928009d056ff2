package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.nio.file.Path;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One file-drop route per configured source: {@code <data-dir>/inbox/<source>/}. Writers must
 * write under a hidden name (leading dot) or with a {@code .tmp}/{@code .part} suffix and rename
 * when done; such files are never read. A file is deleted only after it is in the journal; if the
 * journal cannot be written the file stays and is tried again at the next poll.
 */
@Component
public class FileIntakeRoutes extends RouteBuilder {

  private final MappingRegistry mappings;
  private final FileIntake fileIntake;
  private final GatewayProperties properties;

  public FileIntakeRoutes(MappingRegistry mappings, FileIntake fileIntake, GatewayProperties properties) {
    this.mappings = mappings;
    this.fileIntake = fileIntake;
    this.properties = properties;
  }

  @Override
  public void configure() {
    for (MappingDefinition mapping : mappings.all()) {
      String source = mapping.source();
      // @formatter:off
      from(inboxUri(source))
          .routeId(RouteIds.intakeFile(source))
          .bean(fileIntake, "receive('" + source + "', ${file:absolute.path})").id("journal-" + source);
      // @formatter:on
    }
  }

  private String inboxUri(String source) {
    Path inbox = properties.inboxDir().resolve(source).toAbsolutePath();
    GatewayProperties.Intake intake = properties.intake();
    return "file:" + inbox
        + "?delete=true&autoCreate=true&readLock=none"
        + "&exclude=RAW(.*\\.(tmp|part|partial)$)"
        + "&sortBy=file:modified"
        + "&delay=" + intake.filePollDelay().toMillis()
        + "&maxMessagesPerPoll=" + intake.maxFilesPerPoll();
  }
}
