package dk.sektorbro.gateway.delivery.transport;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of the HTTP transport: JDK defaults unless a trust store or client key store is
 * set.
 */
final class TlsContexts {

  private TlsContexts() {}

  static SSLContext build(DeliveryProperties.Http http)
      throws GeneralSecurityException, IOException {
    if (http.trustStore() == null && http.keyStore() == null) {
      return SSLContext.getDefault();
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(
        http.trustStore() == null ? null : load(http.trustStore(), http.trustStorePassword()));
    KeyManagerFactory keys = null;
    if (http.keyStore() != null) {
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(load(http.keyStore(), http.keyStorePassword()), chars(http.keyStorePassword()));
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path file, String password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, chars(password));
    }
    return store;
  }

  private static char[] chars(String password) {
    return password == null ? new char[0] : password.toCharArray();
  }
}
