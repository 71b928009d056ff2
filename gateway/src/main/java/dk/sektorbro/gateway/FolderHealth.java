package dk.sektorbro.gateway;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * The gateway's folders in /actuator/health ("folders"): DOWN (HTTP 503) when one it writes to
 * (outbox, archive, error folder) or deletes from (each source's inbox) cannot be written. Proven
 * by creating and deleting a probe file, not by permission bits.
 */
@Component("foldersHealthIndicator")
public class FolderHealth extends AbstractHealthIndicator {

  private final GatewayProperties properties;
  private final MappingRegistry mappings;

  public FolderHealth(GatewayProperties properties, MappingRegistry mappings) {
    super("folder health check failed");
    this.properties = properties;
    this.mappings = mappings;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<String, String> folders = new LinkedHashMap<>();
    List<String> unwritable = new ArrayList<>();
    for (Path folder : folders()) {
      String problem = probe(folder);
      folders.put(folder.toString(), problem == null ? "writable" : problem);
      if (problem != null) {
        unwritable.add(folder.toString());
      }
    }
    builder.withDetail("folders", folders);
    if (unwritable.isEmpty()) {
      builder.up();
    } else {
      builder.down().withDetail("unwritable", unwritable);
    }
  }

  private List<Path> folders() {
    List<Path> folders =
        new ArrayList<>(
            List.of(properties.outboxDir(), properties.archiveDir(), properties.errorDir()));
    for (MappingDefinition mapping : mappings.all()) {
      folders.add(properties.inboxDir().resolve(mapping.source()));
    }
    return folders;
  }

  // Null when a file can be created and deleted in the folder (created first when missing).
  private static String probe(Path folder) {
    try {
      Files.createDirectories(folder);
      Path probe = Files.createTempFile(folder, ".health-", ".tmp");
      Files.delete(probe);
      return null;
    } catch (IOException | SecurityException e) {
      return "not writable (" + e.getClass().getSimpleName() + ")";
    }
  }
}
