package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.platform.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * An upload spooled to a temporary file while its SHA-256 is computed, so a large export is never
 * held in memory and its format can be sniffed before parsing. Delete it with {@link #close()}.
 */
public final class RegistryUpload implements AutoCloseable {

  private final Path file;
  private final String sha256;
  private final boolean temporary;

  private RegistryUpload(Path file, String sha256, boolean temporary) {
    this.file = file;
    this.sha256 = sha256;
    this.temporary = temporary;
  }

  /** Spools {@code in} to a temporary file; fails when it is longer than {@code maxBytes}. */
  public static RegistryUpload spool(InputStream in, long maxBytes) throws IOException {
    Path file = Files.createTempFile("sor-registry-", ".upload");
    MessageDigest digest = Sha256.newDigest();
    try (InputStream digesting = new DigestInputStream(in, digest);
        OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = digesting.read(buffer)) != -1; ) {
        total += n;
        if (total > maxBytes) {
          throw new ImportFailure("the upload is larger than the limit of " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return new RegistryUpload(file, Sha256.hex(digest), true);
  }

  /** An existing file (the bootstrap registry), hashed in place and never deleted. */
  public static RegistryUpload of(Path file) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return new RegistryUpload(file, Sha256.hex(digest), false);
  }

  public InputStream open() throws IOException {
    return new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
  }

  public String sha256() {
    return sha256;
  }

  /** The first non-blank character: '<' for SOR XML, '{' for an EER FHIR bundle in JSON. */
  public int firstSignificantChar() throws IOException {
    try (InputStream in = open()) {
      for (int c; (c = in.read()) != -1; ) {
        if (c == 0xEF || c == 0xBB || c == 0xBF || Character.isWhitespace(c)) {
          continue; // byte order mark or whitespace
        }
        return c;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    if (temporary) {
      Files.deleteIfExists(file);
    }
  }
}
