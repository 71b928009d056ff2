package dk.sektorbro.gateway.retention;

import dk.sektorbro.gateway.platform.DurableFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Cipher;
import javax.crypto.CipherOutputStream;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted archive retention writes before it prunes: JSON lines, gzip-compressed, then
 * AES-256-GCM. File layout: the magic {@code SBRA1}, a 12-byte IV, the ciphertext with its 16-byte
 * tag. Written to a hidden temp file, forced to disk and renamed, so a file that exists is whole.
 */
public final class RetentionArchive {

  private static final byte[] MAGIC = "SBRA1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RetentionArchive() {}

  public static Path write(Path dir, String name, byte[] key, String jsonLines) {
    try {
      Files.createDirectories(dir);
      ByteArrayOutputStream compressed = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
        gzip.write(jsonLines.getBytes(StandardCharsets.UTF_8));
      }
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(MAGIC);
      byte[] sealed = cipher.doFinal(compressed.toByteArray());
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.write(MAGIC);
      file.write(iv);
      file.write(sealed);
      return DurableFiles.writeAtomically(dir, name, file.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("retention archive cannot be written in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("retention archive cannot be encrypted", e);
    }
  }

  /**
   * The same format for a kept file of any size, streamed: gzip, AES-256-GCM, then renamed into
   * place.
   */
  public static Path writeFile(Path dir, String name, byte[] key, Path source) {
    try {
      Files.createDirectories(dir);
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(MAGIC);
      Path temp = dir.resolve("." + name + ".tmp");
      try (FileOutputStream file = new FileOutputStream(temp.toFile())) {
        file.write(MAGIC);
        file.write(iv);
        // The cipher stream writes the GCM tag when closed; closing it must not close the file
        // first.
        CipherOutputStream sealed =
            new CipherOutputStream(
                new FilterOutputStream(file) {
                  @Override
                  public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                  }

                  @Override
                  public void close() throws IOException {
                    flush();
                  }
                },
                cipher);
        try (GZIPOutputStream gzip = new GZIPOutputStream(sealed);
            InputStream in = Files.newInputStream(source)) {
          in.transferTo(gzip);
        }
        file.getChannel().force(true);
      }
      return Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("retention archive cannot be written in " + dir, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("retention archive cannot be encrypted", e);
    }
  }

  /** The JSON lines of an archive file; fails when the key is wrong or the file was changed. */
  public static String read(Path file, byte[] key) throws IOException, GeneralSecurityException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < MAGIC.length + 12
        || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IOException("not a retention archive: " + file.getFileName());
    }
    byte[] iv = Arrays.copyOfRange(bytes, MAGIC.length, MAGIC.length + 12);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    cipher.updateAAD(MAGIC);
    byte[] compressed = cipher.doFinal(bytes, MAGIC.length + 12, bytes.length - MAGIC.length - 12);
    try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The key file's 32 bytes: raw, or Base64 text. */
  public static byte[] key(Path keyFile) {
    try {
      byte[] raw = Files.readAllBytes(keyFile);
      if (raw.length == 32) {
        return raw;
      }
      byte[] decoded =
          Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
      if (decoded.length != 32) {
        throw new IllegalStateException(
            "retention archive key must be 32 bytes (AES-256): " + keyFile);
      }
      return decoded;
    } catch (IOException e) {
      throw new UncheckedIOException("retention archive key cannot be read: " + keyFile, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "retention archive key is neither 32 raw bytes nor Base64: " + keyFile);
    }
  }
}
