package dk.sektorbro.gateway.addressing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * At first start (no snapshot stored yet) imports the configured registry file, by default the
 * synthetic registry shipped in the repository. Without any snapshot, addressing holds every
 * message: it never sends unchecked.
 */
@Component
public class RegistryBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(RegistryBootstrap.class);

  private final RegistryService registry;
  private final AddressingProperties properties;

  public RegistryBootstrap(RegistryService registry, AddressingProperties properties) {
    this.registry = registry;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    if (registry.active().isPresent() || !registry.snapshots().isEmpty()) {
      return;
    }
    Path file = properties.bootstrapFile();
    if (file == null || !Files.isRegularFile(file)) {
      log.warn(
          "no registry snapshot and no bootstrap file (gateway.addressing.bootstrap-file={}); "
              + "messages are held until a snapshot is uploaded",
          file);
      return;
    }
    try (RegistryUpload upload = RegistryUpload.of(file)) {
      var imported = registry.importSnapshot(upload);
      log.info(
          "bootstrap registry imported file={} snapshot={}",
          file.getFileName(),
          imported.snapshot().id());
    } catch (ImportFailure e) {
      log.error(
          "bootstrap registry rejected file={} reason={}", file.getFileName(), e.getMessage());
    }
  }
}
