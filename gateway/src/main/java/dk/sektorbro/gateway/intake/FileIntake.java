package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.intake.IntakeResult.Outcome;
import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.platform.DatabaseUnavailable;
import dk.sektorbro.gateway.platform.DurableFiles;
import dk.sektorbro.gateway.platform.FileCooldown;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads one file from a source's inbox and journals it. The file route deletes the file only after
 * this returns, i.e. after the journal transaction committed. A file over the size limit is not
 * read into memory: it is streamed to the archive and journaled as FAILED with where it is kept.
 */
@Component
public class FileIntake {

  private static final Logger log = LoggerFactory.getLogger(FileIntake.class);

  private final IntakeService intake;
  private final GatewayProperties properties;
  private final FileCooldown cooldown;

  public FileIntake(IntakeService intake, GatewayProperties properties, FileCooldown cooldown) {
    this.intake = intake;
    this.properties = properties;
    this.cooldown = cooldown;
  }

  /**
   * Journals the file; the route deletes it when this returns. If it cannot be journaled as it is
   * (a failure of ours, not of the content), it is copied to the error folder and journaled FAILED
   * with where it is kept. If even that fails (the journal itself is down), the file stays and
   * waits in {@link FileCooldown}; the exception names the cause's type only, never content.
   */
  public IntakeResult receive(String source, String absolutePath) throws IOException {
    Path file = Path.of(absolutePath);
    try {
      IntakeResult result = read(source, file);
      cooldown.done(absolutePath);
      return result;
    } catch (NoSuchFileException e) {
      if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw taken(source, absolutePath);
      }
      return notJournaled(source, file, e);
    } catch (RuntimeException | IOException e) {
      if (DatabaseUnavailable.is(e)) {
        // Not the file's fault: it waits in the inbox. Through notJournaled, a database back by
        // the time the refusal was written kept the file in error/ as FAILED, for an administrator
        // to retry (DatabaseOutageTest).
        throw leftInInbox(file, source, e.getClass().getSimpleName(), "database-unavailable");
      }
      return notJournaled(source, file, e);
    }
  }

  private FileNotJournaled leftInInbox(Path file, String source, String type, String then) {
    Duration wait = cooldown.failed(file.toString());
    log.warn(
        "file not journaled, left in the inbox source={} cause={} then={} nextTryIn={}s",
        source,
        type,
        then,
        wait.toSeconds());
    return new FileNotJournaled(type, then);
  }

  /**
   * The file was listed but is gone before it was read: another reader took it, typically the inbox
   * leader that took over while this node's leadership was ending (both read the inbox until this
   * node's next heartbeat, docs/cluster.md), or an operator. Nothing is left in the inbox and
   * nothing is lost here: that reader journals it. Not a WARN "left in the inbox", which was false.
   */
  private FileTaken taken(String source, String absolutePath) {
    cooldown.done(absolutePath);
    log.info("inbox file gone before it was read source={}: another reader took it", source);
    return new FileTaken();
  }

  private IntakeResult notJournaled(String source, Path file, Exception cause) {
    String type = cause.getClass().getSimpleName();
    Archived kept = null;
    try {
      long size = Files.size(file);
      kept = archive(properties.errorDir(), source, file);
      IntakeResult result =
          intake.refuse(
              IntakeRequest.unread(
                  source,
                  Channel.FILE,
                  null,
                  file.getFileName().toString(),
                  size,
                  kept.sha256(),
                  kept.path().toString()),
              Outcome.NOT_JOURNALED,
              "intake.file.not-journaled",
              type);
      cooldown.done(file.toString());
      log.warn(
          "file not journaled as received, kept in the error folder id={} source={} cause={}",
          result.id(),
          source,
          type);
      return result;
    } catch (RuntimeException | IOException again) {
      if (kept != null) {
        try {
          Files.deleteIfExists(kept.path());
        } catch (IOException ignored) {
          // The copy is only a leftover; the original stays in the inbox.
        }
      }
      throw leftInInbox(file, source, type, again.getClass().getSimpleName());
    }
  }

  private IntakeResult read(String source, Path file) throws IOException {
    String name = file.getFileName().toString();
    if (Files.isSymbolicLink(file)) {
      // The route then deletes the link only.
      return refuseLink(source, name);
    }
    long size = Files.size(file);
    long limit = properties.intake().maxRecordSize().toBytes();
    IntakeResult result;
    if (size > limit) {
      Archived archived = archive(properties.archiveDir().resolve("oversize"), source, file);
      result =
          intake.refuse(
              IntakeRequest.unread(
                  source,
                  Channel.FILE,
                  null,
                  name,
                  size,
                  archived.sha256(),
                  archived.path().toString()),
              Outcome.TOO_LARGE,
              "intake.file.too-large",
              String.valueOf(size),
              String.valueOf(limit));
    } else {
      result =
          intake.receive(
              IntakeRequest.of(source, Channel.FILE, Files.readAllBytes(file), null, name));
    }
    return result;
  }

  /**
   * Journals a symbolic link found in the inbox as FAILED, unread: its target may be any file the
   * gateway can read (data/credentials, a key store), so it is never read through, never kept in
   * the journal. The caller removes the link itself.
   */
  IntakeResult refuseLink(String source, String name) {
    return intake.refuse(
        IntakeRequest.unread(
            source, Channel.FILE, null, name, 0, "unread:" + UUID.randomUUID(), null),
        Outcome.MALFORMED,
        "intake.file.symbolic-link");
  }

  // Streams the file into <root>/<source>/<date>/ while hashing it. On disk before the journal
  // names it and the inbox file is deleted: after a power cut the entry must not point at an empty
  // or missing copy.
  private Archived archive(Path root, String source, Path file) throws IOException {
    Path folder = Files.createDirectories(root.resolve(source).resolve(LocalDate.now().toString()));
    Path target = folder.resolve(UUID.randomUUID() + ".bin");
    MessageDigest digest = Sha256.newDigest();
    // Never through a symbolic link (its target may be any file the gateway can read): opening one
    // fails, and a link whose refusal could not be journaled waits in the inbox for a later poll.
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
      DurableFiles.streamInto(in, target);
    }
    return new Archived(target, Sha256.hex(digest));
  }

  private record Archived(Path path, String sha256) {}

  /** The file was gone before it was read (see {@link #taken}): nothing for this reader to do. */
  static final class FileTaken extends RuntimeException {
    FileTaken() {
      super("inbox file gone before it was read: another reader took it", null, false, false);
    }
  }

  /**
   * The file stays in the inbox; the message names exception types only (their texts may quote
   * content).
   */
  static final class FileNotJournaled extends RuntimeException {
    FileNotJournaled(String cause, String then) {
      super(
          "file not journaled ("
              + cause
              + ", then "
              + then
              + "); left in the inbox for a later poll");
    }
  }
}
