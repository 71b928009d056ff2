package dk.sektorbro.gateway.delivery.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The signing key from a PKCS#12 file, read again whenever the file's modification time or size
 * changes: replacing the file rotates key and certificate without a restart. A file that cannot be
 * read keeps the previous key in use (a half-copied file must not stop signing).
 */
public class ReloadingKeyStore {

  private final Path file;
  private final char[] password;
  private final String alias;
  private FileTime loadedModified;
  private long loadedSize = -1;
  private SigningKey current;

  public ReloadingKeyStore(Path file, String password, String alias) {
    this.file = file;
    this.password = password == null ? new char[0] : password.toCharArray();
    this.alias = alias;
  }

  public synchronized SigningKey key() throws GeneralSecurityException, IOException {
    FileTime modified = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    if (current == null || !modified.equals(loadedModified) || size != loadedSize) {
      try {
        current = load();
        loadedModified = modified;
        loadedSize = size;
      } catch (GeneralSecurityException | IOException e) {
        if (current == null) {
          throw e;
        }
      }
    }
    return current;
  }

  private SigningKey load() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    String name = alias != null && !alias.isBlank() ? alias : firstKeyAlias(store);
    PrivateKey key = (PrivateKey) store.getKey(name, password);
    Certificate[] chain = store.getCertificateChain(name);
    if (key == null || chain == null || chain.length == 0) {
      throw new GeneralSecurityException(
          "no private key with a certificate under the configured alias");
    }
    return new SigningKey(key, Arrays.stream(chain).map(X509Certificate.class::cast).toList());
  }

  private static String firstKeyAlias(KeyStore store) throws GeneralSecurityException {
    List<String> aliases = Collections.list(store.aliases());
    for (String a : aliases) {
      if (store.isKeyEntry(a)) {
        return a;
      }
    }
    throw new GeneralSecurityException("the key store holds no private key");
  }
}
