package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.DurableFiles;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Puts a hand-over file into a municipal system's folder at most once, also across a crash between
 * the file and the journal row that says it was handed over (then the hospital's resend is received
 * afresh). Each file is first written whole under a hidden name ({@code .<name>.pending}), then a
 * marker is written in the gateway's own data folder ({@code <data-dir>/handover-written/}), then
 * the file is renamed into place. A resend that finds the marker writes nothing: the file is still
 * there, or the importer took it; only a crash between the marker and the rename leaves the pending
 * file, which is then renamed. The marker is deleted once the journal row is committed (from then
 * on the journal answers a resend as a duplicate); one left by a crash stays, a few bytes.
 */
@Component
public class HandoverFiles {

  private static final Logger log = LoggerFactory.getLogger(HandoverFiles.class);

  private final Path markers;

  @Autowired
  public HandoverFiles(GatewayProperties gateway) {
    this(gateway.dataDir().resolve("handover-written"));
  }

  HandoverFiles(Path markers) {
    this.markers = markers;
  }

  /** The file placed, and whether this call wrote it (false: written before a crash). */
  public record Placed(Path path, boolean written) {}

  public Placed place(Path folder, String name, byte[] content) throws IOException {
    Path target = folder.resolve(name);
    Path pending = folder.resolve("." + name + ".pending");
    Path marker = marker(target);
    if (Files.exists(marker)) {
      if (!Files.exists(target) && Files.exists(pending)) {
        // Killed between the marker and the rename: the importer has never seen it.
        moveIntoPlace(pending, target, folder);
        forgetAfterCommit(marker);
        return new Placed(target, true);
      }
      // Still there, or taken by the importer: either way not a second time.
      log.info("hand-over file written before a restart, not written again name={}", name);
      forgetAfterCommit(marker);
      return new Placed(target, false);
    }
    if (Files.exists(target)) {
      // Placed by a gateway without markers (before this version): the same MessageHeader id.
      Files.deleteIfExists(pending);
      return new Placed(target, false);
    }
    Files.createDirectories(folder);
    writeWhole(pending, content);
    DurableFiles.writeAtomically(
        marker.getParent(),
        marker.getFileName().toString(),
        target.toString().getBytes(StandardCharsets.UTF_8));
    moveIntoPlace(pending, target, folder);
    forgetAfterCommit(marker);
    return new Placed(target, true);
  }

  private static void writeWhole(Path file, byte[] content) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(content);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
  }

  private static void moveIntoPlace(Path pending, Path target, Path folder) throws IOException {
    Files.move(pending, target, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException notSupported) {
      // some platforms cannot open a folder as a file; the rename itself is atomic
    }
  }

  // Once the journal row naming the file is committed, the journal answers every resend; a
  // rollback (or no transaction) keeps the marker, so the resend writes nothing either.
  private static void forgetAfterCommit(Path marker) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            try {
              Files.deleteIfExists(marker);
            } catch (IOException e) {
              log.warn("hand-over marker not deleted cause={}", e.getClass().getSimpleName());
            }
          }
        });
  }

  // One marker per target path (a system's folder may lie outside the data folder).
  private Path marker(Path target) {
    String hex = Sha256.hex(target.toAbsolutePath().normalize().toString());
    return markers.resolve(hex.substring(0, 2)).resolve(hex);
  }
}
