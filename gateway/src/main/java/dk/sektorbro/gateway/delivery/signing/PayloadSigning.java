package dk.sektorbro.gateway.delivery.signing;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * Signing as configured: signs outgoing payloads with the configured key store (re-read when the
 * file changes) and verifies inbound ones when {@code verify-inbound} is on.
 */
@Component
public class PayloadSigning {

  private final DeliveryProperties.Signing settings;
  private final SigningKeySource keys;
  private final Clock clock;

  public PayloadSigning(DeliveryProperties properties, Clock clock, SslBundles bundles)
      throws GeneralSecurityException {
    this.settings = properties.signing();
    this.keys = keys(settings, bundles);
    this.clock = clock;
  }

  private static SigningKeySource keys(DeliveryProperties.Signing settings, SslBundles bundles)
      throws GeneralSecurityException {
    if (settings.sslBundle() != null && !settings.sslBundle().isBlank()) {
      return new BundleSigningKey(bundles, settings.sslBundle(), settings.alias());
    }
    return settings.keyStore() == null
        ? null
        : new ReloadingKeyStore(settings.keyStore(), settings.keyStorePassword(), settings.alias());
  }

  public byte[] sign(byte[] payload) throws GeneralSecurityException, IOException {
    if (keys == null) {
      throw new GeneralSecurityException(
          "signing requested but neither gateway.delivery.signing.ssl-bundle nor key-store is set");
    }
    return CmsSigner.sign(payload, keys.key());
  }

  public boolean verifiesInbound() {
    return settings.verifyInbound();
  }

  /** The signed content, or why the signature is refused. */
  public byte[] verify(byte[] signed) throws SignatureRefused {
    return CmsVerifier.verify(signed, trustAnchors(), clock.instant());
  }

  private List<X509Certificate> trustAnchors() throws SignatureRefused {
    if (settings.trustedCertificates() == null) {
      return List.of();
    }
    try (InputStream in = Files.newInputStream(settings.trustedCertificates())) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (IOException | GeneralSecurityException e) {
      throw new SignatureRefused("trusted certificates cannot be read");
    }
  }
}
