package dk.sektorbro.gateway.intake;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records written into a subfolder of a source's inbox ({@code inbox/<source>/2026/record.json}, an
 * export that writes a folder): the file route reads the inbox folder itself only, so such a file
 * lay unread and unjournaled for ever. Once it has not changed for {@code file-stable-after} it is
 * moved up into the inbox under its folders' names ({@code 2026--record.json}) and read like any
 * other file from then on (its journal entry's original name says where it came from). The folders
 * stay: the writer may expect them to exist.
 *
 * <p>Symbolic links are never followed: folders are opened relative to their parent's open
 * descriptor and without following links ({@link SecureDirectoryStream}), so swapping a folder for
 * a link cannot lead the gateway outside the inbox. A link below the inbox, or a link to a folder
 * in it (which the file route would skip as a folder), is journaled FAILED unread and removed (the
 * link, never its target). Hidden and temporary names, files and folders alike, are a writer's
 * business until renamed and are left alone.
 */
final class InboxSubfolders {

  private static final Logger log = LoggerFactory.getLogger(InboxSubfolders.class);

  static final String SEPARATOR = "--";

  private static final int MAX_DEPTH = 16;
  private static final int MAX_NAME = 200;
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final String source;
  private final Path inbox;
  private final Duration stableAfter;
  private final FileIntake intake;
  private Instant next = Instant.MIN;
  private Duration wait = INTERVAL;
  private boolean unsupportedReported;

  InboxSubfolders(String source, Path inbox, Duration stableAfter, FileIntake intake) {
    this.source = source;
    this.inbox = inbox;
    this.stableAfter = stableAfter;
    this.intake = intake;
  }

  /**
   * Takes up what is ready in the subfolders; at most once a second (every {@code wait} after a
   * failure), since nothing signals a change below the inbox folder. Never throws.
   */
  void sweep() {
    // File times are the operating system's, so is this clock.
    Instant now = Instant.now();
    if (now.isBefore(next)) {
      return;
    }
    try (DirectoryStream<Path> folder = Files.newDirectoryStream(inbox)) {
      if (folder instanceof SecureDirectoryStream<Path> top) {
        sweepTop(top);
      } else if (!unsupportedReported) {
        unsupportedReported = true;
        log.warn("subfolders of the inbox are not read on this platform source={}", source);
      }
      wait = INTERVAL;
    } catch (IOException | RuntimeException e) {
      // Often the journal (a link's refusal): wait longer each time, never a hot loop.
      wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
      log.warn(
          "inbox subfolders not swept source={} cause={} nextTryIn={}s",
          source,
          e.getClass().getSimpleName(),
          wait.toSeconds());
    }
    next = Instant.now().plus(wait);
  }

  // One folder that cannot be read (or a link whose refusal cannot be journaled) does not keep the
  // others from being swept; the first failure is reported after the rest were.
  private void sweepTop(SecureDirectoryStream<Path> top) throws IOException {
    Exception failed = null;
    for (Path entry : top) {
      try {
        sweepEntry(top, entry);
      } catch (IOException | RuntimeException e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed instanceof IOException io) {
      throw io;
    } else if (failed != null) {
      throw (RuntimeException) failed;
    }
  }

  private void sweepEntry(SecureDirectoryStream<Path> top, Path entry) throws IOException {
    Path name = entry.getFileName();
    BasicFileAttributes attributes = ignored(name) ? null : attributes(top, name);
    if (attributes == null) {
      return;
    }
    if (attributes.isDirectory()) {
      try (SecureDirectoryStream<Path> folder = top.newDirectoryStream(name, NO_FOLLOW)) {
        takeUp(folder, top, readable(name) + SEPARATOR, 1);
      }
    } else if (attributes.isSymbolicLink() && Files.isDirectory(entry)) {
      // A link to a file is the file route's to refuse; one to a folder it would skip unseen.
      refuseLink(top, name, readable(name));
    }
  }

  private void takeUp(
      SecureDirectoryStream<Path> folder, SecureDirectoryStream<Path> top, String prefix, int depth)
      throws IOException {
    for (Path entry : folder) {
      Path name = entry.getFileName();
      BasicFileAttributes attributes = ignored(name) ? null : attributes(folder, name);
      if (attributes == null) {
        continue;
      }
      String upName = prefix + readable(name);
      if (attributes.isDirectory()) {
        if (depth < MAX_DEPTH) {
          try (SecureDirectoryStream<Path> inner = folder.newDirectoryStream(name, NO_FOLLOW)) {
            takeUp(inner, top, upName + SEPARATOR, depth + 1);
          }
        }
      } else if (attributes.isSymbolicLink()) {
        refuseLink(folder, name, upName);
      } else if (stable(attributes)) {
        // The entry's own name (its bytes, even those Java cannot decode) names the source.
        folder.move(name, top, inbox.getFileSystem().getPath(free(top, upName)));
      }
    }
  }

  private void refuseLink(SecureDirectoryStream<Path> folder, Path name, String originalName)
      throws IOException {
    intake.refuseLink(source, originalName);
    folder.deleteFile(name);
  }

  private boolean stable(BasicFileAttributes attributes) {
    return attributes.lastModifiedTime().toInstant().plus(stableAfter).isBefore(Instant.now());
  }

  // The name in the inbox: a file of that name already there keeps its name, this one gets a tag.
  private String free(SecureDirectoryStream<Path> top, String name) throws IOException {
    if (name.length() <= MAX_NAME && attributes(top, inbox.getFileSystem().getPath(name)) == null) {
      return name;
    }
    String shorter = name.length() > MAX_NAME ? name.substring(name.length() - MAX_NAME) : name;
    String tag = "-" + UUID.randomUUID().toString().substring(0, 8);
    int dot = shorter.lastIndexOf('.');
    return dot > 0 ? shorter.substring(0, dot) + tag + shorter.substring(dot) : shorter + tag;
  }

  private static BasicFileAttributes attributes(SecureDirectoryStream<Path> folder, Path name)
      throws IOException {
    try {
      return folder
          .getFileAttributeView(name, BasicFileAttributeView.class, NO_FOLLOW)
          .readAttributes();
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  // The names the file route never reads (FileIntakeRoutes): hidden, temporary, Camel's locks.
  private static boolean ignored(Path name) {
    String text = name.toString();
    return text.startsWith(".") || text.matches(".*\\.(tmp|part|partial|camelLock)$");
  }

  // As UnreadableNames: '_' for each byte the file-name encoding could not decode.
  private static String readable(Path name) {
    return name.toString().replace('\uFFFD', '_');
  }
}
