package dk.sektorbro.gateway.delivery.signing;

import dk.sektorbro.gateway.platform.Pkcs12Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;

/**
 * The signing key from a PKCS#12 file (loaded by Spring Boot's store support), read again whenever
 * the file's modification time or size changes: replacing the file rotates key and certificate
 * without a restart. A file that cannot be read keeps the previous key in use (a half-copied file
 * must not stop signing).
 */
public class ReloadingKeyStore implements SigningKeySource {

  private final Path file;
  private final String password;
  private final String alias;
  private FileTime loadedModified;
  private long loadedSize = -1;
  private SigningKey current;

  public ReloadingKeyStore(Path file, String password, String alias) {
    this.file = file;
    this.password = password == null ? "" : password;
    this.alias = alias;
  }

  @Override
  public synchronized SigningKey key() throws GeneralSecurityException, IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    if (current == null || !modified.equals(loadedModified) || size != loadedSize) {
      try {
        current = load();
        loadedModified = modified;
        loadedSize = size;
      } catch (GeneralSecurityException e) {
        if (current == null) {
          throw e;
        }
      }
    }
    return current;
  }

  private SigningKey load() throws GeneralSecurityException {
    JksSslStoreDetails details = Pkcs12Stores.details(file, password);
    try {
      return SigningKey.from(new JksSslStoreBundle(details, null).getKeyStore(), alias, password);
    } catch (IllegalStateException unreadable) {
      // Spring Boot reports a store it cannot read as IllegalStateException
      throw new GeneralSecurityException("the signing key store cannot be read", unreadable);
    }
  }
}
