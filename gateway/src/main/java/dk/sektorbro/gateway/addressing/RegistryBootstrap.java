package dk.sektorbro.gateway.addressing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
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

  /** Arbitrary, fixed: the advisory lock key of "imports the bootstrap registry". */
  static final long BOOTSTRAP_LOCK = 0x5EC7_0B42L;

  private final RegistryService registry;
  private final AddressingProperties properties;
  private final DataSource dataSource;

  public RegistryBootstrap(
      RegistryService registry, AddressingProperties properties, DataSource dataSource) {
    this.registry = registry;
    this.properties = properties;
    this.dataSource = dataSource;
  }

  @Override
  public void run(ApplicationArguments args) throws Exception {
    if (registry.active().isPresent() || !registry.snapshots().isEmpty()) {
      return;
    }
    // Nodes started at once on an empty database: one imports, the others wait for it and then
    // find its snapshot (each imported the file before, TwoNodesRegistryTest). A lock of the
    // session, on a connection of its own: the import commits on others.
    try (Connection session = dataSource.getConnection();
        Statement sql = session.createStatement()) {
      session.setAutoCommit(true);
      sql.execute("SELECT pg_advisory_lock(" + BOOTSTRAP_LOCK + ")");
      try {
        if (registry.snapshots().isEmpty()) {
          importBootstrapFile();
        }
      } finally {
        sql.execute("SELECT pg_advisory_unlock(" + BOOTSTRAP_LOCK + ")");
      }
    }
  }

  private void importBootstrapFile() throws IOException {
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
