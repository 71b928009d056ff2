package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.intake.IntakeResult.Outcome;
import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Reads one file from a source's inbox and journals it. The file route deletes the file only after
 * this returns, i.e. after the journal transaction committed. A file over the size limit is not
 * read into memory: it is streamed to the archive and journaled as FAILED with where it is kept.
 */
@Component
public class FileIntake {

  private final IntakeService intake;
  private final GatewayProperties properties;

  public FileIntake(IntakeService intake, GatewayProperties properties) {
    this.intake = intake;
    this.properties = properties;
  }

  public IntakeResult receive(String source, String absolutePath) throws IOException {
    Path file = Path.of(absolutePath);
    long size = Files.size(file);
    String name = file.getFileName().toString();
    long limit = properties.intake().maxRecordSize().toBytes();
    IntakeResult result;
    if (size > limit) {
      Archived archived = archive(source, file);
      result = intake.refuse(
          IntakeRequest.unread(source, Channel.FILE, null, name, size, archived.sha256(), archived.path().toString()),
          Outcome.TOO_LARGE,
          "file is " + size + " bytes, over the limit of " + limit + " bytes; the original is kept in the archive");
    } else {
      result = intake.receive(IntakeRequest.of(source, Channel.FILE, Files.readAllBytes(file), null, name));
    }
    return result;
  }

  // Streams the file into <data-dir>/archive/oversize/<date>/ while hashing it.
  private Archived archive(String source, Path file) throws IOException {
    Path folder = Files.createDirectories(
        properties.archiveDir().resolve("oversize").resolve(source).resolve(LocalDate.now().toString()));
    Path target = folder.resolve(UUID.randomUUID() + ".bin");
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
        OutputStream out = Files.newOutputStream(target)) {
      in.transferTo(out);
    }
    return new Archived(target, HexFormat.of().formatHex(digest.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Archived(Path path, String sha256) {}
}
