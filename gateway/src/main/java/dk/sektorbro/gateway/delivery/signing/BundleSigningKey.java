package dk.sektorbro.gateway.delivery.signing;

import java.security.GeneralSecurityException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The signing key of a Spring Boot SSL bundle. With {@code reload-on-update} on the bundle, Spring
 * Boot watches its files and hands over the new bundle; a bundle that does not yield a key then
 * leaves the previous key in use (a half-copied file must not stop signing).
 */
final class BundleSigningKey implements SigningKeySource {

  private volatile SigningKey current;

  BundleSigningKey(SslBundles bundles, String name, String alias) throws GeneralSecurityException {
    current = keyOf(bundles.getBundle(name), alias);
    bundles.addBundleUpdateHandler(
        name,
        updated -> {
          try {
            current = keyOf(updated, alias);
          } catch (GeneralSecurityException | RuntimeException unreadable) {
            // keep signing with the key we have; the health of the files is the operator's signal
          }
        });
  }

  @Override
  public SigningKey key() {
    return current;
  }

  private static SigningKey keyOf(SslBundle bundle, String alias) throws GeneralSecurityException {
    String password = bundle.getKey().getPassword();
    if (password == null) {
      password = bundle.getStores().getKeyStorePassword();
    }
    String name = alias != null && !alias.isBlank() ? alias : bundle.getKey().getAlias();
    return SigningKey.from(bundle.getStores().getKeyStore(), name, password);
  }
}
