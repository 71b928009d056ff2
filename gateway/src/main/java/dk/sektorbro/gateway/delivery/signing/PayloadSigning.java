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
import org.springframework.stereotype.Component;

/**
 * Signing as configured: signs outgoing payloads with the configured key store (re-read when the
 * file changes) and verifies inbound ones when {@code verify-inbound} is on.
 */
@Component
public class PayloadSigning {

  private final DeliveryProperties.Signing settings;
  private final ReloadingKeyStore keyStore;
  private final Clock clock;

  public PayloadSigning(DeliveryProperties properties, Clock clock) {
    this.settings = properties.signing();
    this.keyStore =
        settings.keyStore() == null
            ? null
            : new ReloadingKeyStore(
                settings.keyStore(), settings.keyStorePassword(), settings.alias());
    this.clock = clock;
  }

  public byte[] sign(byte[] payload) throws GeneralSecurityException, IOException {
    if (keyStore == null) {
      throw new GeneralSecurityException(
          "signing requested but gateway.delivery.signing.key-store is not set");
    }
    return CmsSigner.sign(payload, keyStore.key());
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
