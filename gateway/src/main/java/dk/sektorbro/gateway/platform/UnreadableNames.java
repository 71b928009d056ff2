package dk.sektorbro.gateway.platform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files in a folder the gateway reads (a source's inbox, the inbound folder) whose names the JVM
 * cannot address: bytes not valid in the platform's file-name encoding ({@code sun.jnu.encoding}),
 * such as a Latin-1 name from an old system or a Windows share, or any non-ASCII name when the
 * gateway runs without a UTF-8 locale (LANG unset, as under systemd). Java decodes such bytes to
 * U+FFFD, and the decoded name names no file: the file consumer never read it, and it lay in the
 * folder for ever. Such a file is renamed through its directory entry (which keeps the bytes) to
 * the same name with '_' for each undecodable byte, and is then read like any other. Hidden and
 * temporary names are a writer's business until it renames them, and are left alone.
 */
public final class UnreadableNames {

  private static final Logger log = LoggerFactory.getLogger(UnreadableNames.class);

  private static final char UNDECODABLE = '\uFFFD';

  private UnreadableNames() {}

  /** Whether a name as Java decoded it may stand for bytes it could not decode. */
  public static boolean suspect(Path name) {
    return name != null && name.toString().indexOf(UNDECODABLE) >= 0;
  }

  /** Renames every unreadable file in {@code folder}; returns how many. */
  public static int renameIn(Path folder) {
    int renamed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (suspect(entry.getFileName())
            && !ignored(name)
            && !addressable(folder, name)
            && rename(folder, entry, name)) {
          renamed++;
        }
      }
    } catch (IOException e) {
      // The folder's own problems are the file route's and folder health's to report.
      log.debug("folder not listed cause={}", e.getClass().getSimpleName());
    }
    return renamed;
  }

  // The names the file route never reads (FileIntakeRoutes: hidden, .tmp/.part/.partial).
  private static boolean ignored(String name) {
    return name.startsWith(".") || name.matches(".*\\.(tmp|part|partial)$");
  }

  // A name with a real U+FFFD in a valid encoding still names its file.
  private static boolean addressable(Path folder, String name) {
    try {
      return Files.exists(folder.resolve(name), LinkOption.NOFOLLOW_LINKS);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static boolean rename(Path folder, Path entry, String name) {
    String readable = name.replace(UNDECODABLE, '_');
    try {
      try {
        Files.move(entry, folder.resolve(readable));
      } catch (FileAlreadyExistsException taken) {
        Files.move(entry, folder.resolve(unique(readable)));
      }
      // No names in the log: a file name may carry a citizen's name.
      log.warn(
          "file renamed: its name is not valid in the file-name encoding {}; '_' stands"
              + " for each byte that could not be read folder={}",
          System.getProperty("sun.jnu.encoding"),
          folder.getFileName());
      return true;
    } catch (IOException e) {
      log.warn(
          "file with an unreadable name could not be renamed folder={} cause={}",
          folder.getFileName(),
          e.getClass().getSimpleName());
      return false;
    }
  }

  private static String unique(String name) {
    String tag = "-" + UUID.randomUUID().toString().substring(0, 8);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) + tag + name.substring(dot) : name + tag;
  }
}
