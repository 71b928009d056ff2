package dk.sektorbro.gateway.delivery.transport;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.platform.Pkcs12Stores;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;

/**
 * The TLS context of the HTTP transport: the named Spring Boot SSL bundle, else the PKCS#12 trust
 * and key stores of {@code gateway.delivery.http}, else the JDK's defaults. Spring Boot loads the
 * stores either way, so a bundle and the two paths behave alike.
 */
final class TlsContexts {

  private TlsContexts() {}

  static SSLContext build(DeliveryProperties.Http http, SslBundles bundles)
      throws GeneralSecurityException {
    if (http.sslBundle() != null && !http.sslBundle().isBlank()) {
      return bundles.getBundle(http.sslBundle()).createSslContext();
    }
    if (http.trustStore() == null && http.keyStore() == null) {
      return SSLContext.getDefault();
    }
    JksSslStoreBundle stores =
        new JksSslStoreBundle(
            Pkcs12Stores.details(http.keyStore(), http.keyStorePassword()),
            Pkcs12Stores.details(http.trustStore(), http.trustStorePassword()));
    return SslBundle.of(stores, SslBundleKey.of(http.keyStorePassword())).createSslContext();
  }
}
