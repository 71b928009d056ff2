package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Postbox folders, one per recipient GLN, as VANS clients pick them up. A message appears whole or
 * not at all: written to a hidden temp file, forced to disk, then atomically renamed (and the
 * folder forced, so the rename survives a power cut). The file name is the MessageHeader id, so
 * writing the same message again replaces it rather than adding a second copy. A recipient's route
 * may name its own folder ({@code postbox}), e.g. a VANS client's pick-up folder.
 */
@Component
public class PostboxWriter {

  private final Path outbox;
  private final DeliveryProperties delivery;

  public PostboxWriter(GatewayProperties properties, DeliveryProperties delivery) {
    this.outbox = properties.outboxDir();
    this.delivery = delivery;
  }

  /**
   * The recipient's postbox folder: its configured {@code postbox} or {@code
   * <data-dir>/outbox/<GLN>/}.
   */
  public Path folderFor(String gln) {
    Path configured = delivery.routeFor(gln).postbox();
    return configured != null && delivery.recipients().containsKey(gln)
        ? configured
        : outbox.resolve(gln);
  }

  public Path write(String gln, String messageHeaderId, String extension, String content)
      throws IOException {
    return write(gln, messageHeaderId, extension, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes bytes as they are (an envelope, a signed payload). */
  public Path write(String gln, String messageHeaderId, String extension, byte[] content)
      throws IOException {
    if (!LocationNumbers.isValidGln(gln)
        || !messageHeaderId.matches("[A-Za-z0-9-]{1,64}")
        || !extension.matches("[a-z0-9.]{1,16}")) {
      throw new IllegalArgumentException(
          "postbox address or message id is not safe as a file name");
    }
    return writeAtomically(folderFor(gln), messageHeaderId + "." + extension, content);
  }

  /**
   * Writes {@code name} in {@code folder} whole or not at all (temp file, fsync, atomic rename).
   */
  public static Path writeAtomically(Path folder, String name, byte[] content) throws IOException {
    Files.createDirectories(folder);
    Path target = folder.resolve(name);
    Path temp = folder.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(content);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    Path moved =
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(folder);
    return moved;
  }

  // The rename is durable only once the folder itself is on disk; without this a power cut after
  // the message is journaled SENT could leave the postbox without it.
  private static void forceDirectory(Path folder) {
    try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException notSupported) {
      // some platforms cannot open a folder as a file; the file's own force still holds its bytes
    }
  }
}
