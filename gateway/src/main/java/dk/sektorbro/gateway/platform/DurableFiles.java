package dk.sektorbro.gateway.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Files that appear whole or not at all and survive a power cut once written: postbox messages,
 * hand-over copies, retention archives.
 */
public final class DurableFiles {

  private DurableFiles() {}

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
