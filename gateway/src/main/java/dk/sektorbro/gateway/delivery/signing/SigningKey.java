package dk.sektorbro.gateway.delivery.signing;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A private key and its certificate chain (signer first), as read from a PKCS#12 key store. */
public record SigningKey(PrivateKey privateKey, List<X509Certificate> chain) {

  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * The key under {@code alias} (the store's first private key when none is named) with its chain.
   */
  static SigningKey from(KeyStore store, String alias, String password)
      throws GeneralSecurityException {
    if (store == null) {
      throw new GeneralSecurityException("the signing bundle has no key store");
    }
    String name = alias != null && !alias.isBlank() ? alias : firstKeyAlias(store);
    PrivateKey key =
        (PrivateKey) store.getKey(name, password == null ? new char[0] : password.toCharArray());
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
