package dk.sektorbro.gateway.delivery.signing;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key and its certificate chain (signer first), as read from a PKCS#12 key store. */
public record SigningKey(PrivateKey privateKey, List<X509Certificate> chain) {

  public X509Certificate certificate() {
    return chain.get(0);
  }
}
