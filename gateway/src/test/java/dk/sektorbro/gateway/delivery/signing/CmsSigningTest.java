package dk.sektorbro.gateway.delivery.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * CMS SignedData: round trip, tampered and expired refused, untrusted refused, key rotation by
 * file.
 */
class CmsSigningTest {

  private static final byte[] PAYLOAD =
      "<Bundle xmlns=\"http://hl7.org/fhir\"/>".getBytes(StandardCharsets.UTF_8);

  @Test
  void sign_thenVerify_returnsTheSignedContent() throws Exception {
    SigningKey key = TestCertificates.valid("gateway");
    byte[] signed = CmsSigner.sign(PAYLOAD, key);
    assertThat(CmsVerifier.verify(signed, List.of(), Instant.now())).isEqualTo(PAYLOAD);
    assertThat(CmsVerifier.verify(signed, List.of(key.certificate()), Instant.now()))
        .isEqualTo(PAYLOAD);
  }

  @Test
  void verify_tamperedContent_isRefused() throws Exception {
    byte[] signed = CmsSigner.sign(PAYLOAD, TestCertificates.valid("gateway"));
    byte[] tampered = signed.clone();
    int at = indexOf(tampered, "Bundle".getBytes(StandardCharsets.UTF_8));
    tampered[at] = 'X';
    assertThatThrownBy(() -> CmsVerifier.verify(tampered, List.of(), Instant.now()))
        .isInstanceOf(SignatureRefused.class)
        .hasMessageContaining("tampered");
  }

  @Test
  void verify_expiredCertificate_isRefused() throws Exception {
    byte[] signed = CmsSigner.sign(PAYLOAD, TestCertificates.expired("old"));
    assertThatThrownBy(() -> CmsVerifier.verify(signed, List.of(), Instant.now()))
        .isInstanceOf(SignatureRefused.class)
        .hasMessageContaining("expired");
  }

  @Test
  void verify_untrustedSigner_isRefused_andGarbageIsNotCms() throws Exception {
    byte[] signed = CmsSigner.sign(PAYLOAD, TestCertificates.valid("stranger"));
    SigningKey trusted = TestCertificates.valid("hospital");
    assertThatThrownBy(
            () -> CmsVerifier.verify(signed, List.of(trusted.certificate()), Instant.now()))
        .isInstanceOf(SignatureRefused.class)
        .hasMessageContaining("not issued by a trusted");
    assertThatThrownBy(() -> CmsVerifier.verify(PAYLOAD, List.of(), Instant.now()))
        .isInstanceOf(SignatureRefused.class)
        .hasMessageContaining("not CMS");
  }

  @Test
  void keyStore_replacedOnDisk_isUsedWithoutRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("signing.p12");
    SigningKey first = TestCertificates.valid("first");
    TestCertificates.writePkcs12(first, file, "pw");
    ReloadingKeyStore store = new ReloadingKeyStore(file, "pw", null);
    assertThat(store.key().certificate()).isEqualTo(first.certificate());

    SigningKey second = TestCertificates.valid("second");
    TestCertificates.writePkcs12(second, file, "pw");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(store.key().certificate()).isEqualTo(second.certificate());
    byte[] signed = CmsSigner.sign(PAYLOAD, store.key());
    assertThat(CmsVerifier.verify(signed, List.of(second.certificate()), Instant.now()))
        .isEqualTo(PAYLOAD);

    Files.writeString(file, "half-copied");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
    assertThat(store.key().certificate())
        .as("an unreadable file keeps the previous key")
        .isEqualTo(second.certificate());
  }

  @Test
  void sslBundle_signsWithItsKey_andAnUpdatedBundleRotatesTheKey(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("bundle.p12");
    SigningKey first = TestCertificates.valid("first");
    TestCertificates.writePkcs12(first, file, "pw");
    DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
    bundles.registerBundle("signing", bundle(file));
    PayloadSigning signing = new PayloadSigning(signingBy("signing"), Clock.systemUTC(), bundles);
    assertThat(
            CmsVerifier.verify(signing.sign(PAYLOAD), List.of(first.certificate()), Instant.now()))
        .isEqualTo(PAYLOAD);

    SigningKey second = TestCertificates.valid("second");
    TestCertificates.writePkcs12(second, file, "pw");
    bundles.updateBundle("signing", bundle(file));
    assertThat(
            CmsVerifier.verify(signing.sign(PAYLOAD), List.of(second.certificate()), Instant.now()))
        .isEqualTo(PAYLOAD);

    Files.writeString(file, "half-copied");
    bundles.updateBundle("signing", bundle(file));
    assertThat(
            CmsVerifier.verify(signing.sign(PAYLOAD), List.of(second.certificate()), Instant.now()))
        .as("a bundle without a readable key keeps the previous key")
        .isEqualTo(PAYLOAD);
  }

  @Test
  void sslBundle_fromSpringBootProperties_isTheSigningKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bundle.p12");
    SigningKey key = TestCertificates.valid("from properties");
    TestCertificates.writePkcs12(key, file, "pw");
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues(
            "spring.ssl.bundle.jks.signing.keystore.location=" + file.toUri(),
            "spring.ssl.bundle.jks.signing.keystore.password=pw",
            "spring.ssl.bundle.jks.signing.keystore.type=PKCS12")
        .run(
            context -> {
              PayloadSigning signing =
                  new PayloadSigning(
                      signingBy("signing"), Clock.systemUTC(), context.getBean(SslBundles.class));
              assertThat(
                      CmsVerifier.verify(
                          signing.sign(PAYLOAD), List.of(key.certificate()), Instant.now()))
                  .isEqualTo(PAYLOAD);
            });
  }

  private static SslBundle bundle(Path file) {
    return SslBundle.of(
        new JksSslStoreBundle(
            new JksSslStoreDetails("PKCS12", null, file.toUri().toString(), "pw"), null));
  }

  private static DeliveryProperties signingBy(String bundle) {
    return new DeliveryProperties(
        null,
        Map.of(),
        null,
        null,
        null,
        new DeliveryProperties.Signing(null, null, null, false, null, bundle),
        3,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1));
  }

  @Test
  void signedThenEncrypted_onlyTheRecipientReadsIt_andTheSignatureHolds() throws Exception {
    SigningKey sender = TestCertificates.valid("gateway");
    SigningKey recipient = TestCertificates.valid("hospital");
    byte[] enveloped =
        CmsEncryption.encrypt(CmsSigner.sign(PAYLOAD, sender), recipient.certificate());
    assertThat(indexOfOrMinus(enveloped, "Bundle".getBytes(StandardCharsets.UTF_8))).isNegative();
    byte[] signed = CmsEncryption.decrypt(enveloped, recipient.privateKey());
    assertThat(CmsVerifier.verify(signed, List.of(sender.certificate()), Instant.now()))
        .isEqualTo(PAYLOAD);
    assertThatThrownBy(
            () -> CmsEncryption.decrypt(enveloped, TestCertificates.valid("other").privateKey()))
        .isInstanceOf(GeneralSecurityException.class);
  }

  private static int indexOfOrMinus(byte[] haystack, byte[] needle) {
    try {
      return indexOf(haystack, needle);
    } catch (AssertionError e) {
      return -1;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("payload not found in the CMS structure");
  }
}
