package dk.sektorbro.gateway.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Files that appear whole or not at all and survive a power cut once written: postbox messages,
 * retention archives, the copies of inbox files the journal names.
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

  /**
   * Streams {@code in} into the new file {@code target} (never over an existing one) and forces the
   * file and its folder to disk: a copy the journal may name once the original is removed. A
   * failure leaves no partial copy behind.
   */
  public static void streamInto(InputStream in, Path target) throws IOException {
    FileChannel channel =
        FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    // From here on the file is this call's own: removed again if it cannot be written whole.
    try (OutputStream out = Channels.newOutputStream(channel)) {
      in.transferTo(out);
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    forceDirectory(target.getParent());
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
