package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.signing.CmsVerifier;
import dk.sektorbro.gateway.delivery.signing.SigningKey;
import dk.sektorbro.gateway.delivery.signing.TestCertificates;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Document;

/**
 * End-to-end tests of the GP's postbox with a signed payload in a VANS envelope (whose envelope id,
 * time and signature differ at every preparation), inbound signatures verified, and quick delivery
 * retries. The subclasses share one such application (see {@link GatewayIntegrationTest} for the
 * rules that makes them keep).
 */
abstract class SignedVansPostboxIntegrationTest extends GatewayIntegrationTest {

  static final String GP_GLN = "5790009900054";
  static final SigningKey GATEWAY_KEY = TestCertificates.valid("sektorbro gateway");
  static final SigningKey HOSPITAL_KEY = TestCertificates.valid("hospital");
  static final SigningKey EXPIRED_HOSPITAL_KEY =
      TestCertificates.expired("hospital old certificate");
  private static final Path KEYS = tempDir();

  @DynamicPropertySource
  static void signedVansPostbox(DynamicPropertyRegistry registry) throws Exception {
    Path keyStore = KEYS.resolve("gateway.p12");
    TestCertificates.writePkcs12(GATEWAY_KEY, keyStore, "test-only");
    Path trusted = KEYS.resolve("trusted.pem");
    Files.writeString(trusted, pem(HOSPITAL_KEY) + pem(EXPIRED_HOSPITAL_KEY));
    registry.add("gateway.delivery.recipients." + GP_GLN + ".transport", () -> "POSTBOX");
    registry.add("gateway.delivery.recipients." + GP_GLN + ".envelope", () -> "VANS");
    registry.add("gateway.delivery.recipients." + GP_GLN + ".sign", () -> "true");
    registry.add("gateway.delivery.signing.key-store", keyStore::toString);
    registry.add("gateway.delivery.signing.key-store-password", () -> "test-only");
    registry.add("gateway.delivery.signing.verify-inbound", () -> "true");
    registry.add("gateway.delivery.signing.trusted-certificates", trusted::toString);
    registry.add("gateway.delivery.inbound-poll", () -> "100ms");
    // Messages stay SENT while the tests act as the hospital.
    registry.add("gateway.delivery.ack.timeout", () -> "5m");
    // A failed attempt is retried within a second.
    registry.add("gateway.delivery.retry.initial-delay", () -> "300ms");
    registry.add("gateway.delivery.retry.max-delay", () -> "1s");
    registry.add("gateway.delivery.schedule-poll", () -> "100ms");
  }

  /**
   * What the hospital's VANS client reads from an envelope: the FHIR message inside, after checking
   * the gateway's signature.
   */
  static String unwrap(byte[] envelope) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(envelope));
    byte[] cms =
        Base64.getDecoder().decode(xml.getElementsByTagName("Data").item(0).getTextContent());
    return new String(
        CmsVerifier.verify(cms, List.of(GATEWAY_KEY.certificate()), Instant.now()),
        StandardCharsets.UTF_8);
  }

  private static String pem(SigningKey key) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.certificate().getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("sektorbro-keys-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
