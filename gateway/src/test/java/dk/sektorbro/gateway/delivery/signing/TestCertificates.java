package dk.sektorbro.gateway.delivery.signing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys and certificates generated for each test run: nothing secret lives in the repository. */
public final class TestCertificates {

  // Test classes run side by side (fast tier): every certificate still gets its own serial.
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private TestCertificates() {}

  /** A self-signed OCES-style test certificate valid from {@code from} to {@code to}. */
  public static SigningKey selfSigned(String commonName, Instant from, Instant to) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=" + commonName + ", O=Sektorbro test, C=DK");
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  new JcaX509v3CertificateBuilder(
                          name,
                          BigInteger.valueOf(SERIAL.getAndIncrement()),
                          Date.from(from),
                          Date.from(to),
                          name,
                          pair.getPublic())
                      .build(
                          new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
      return new SigningKey(pair.getPrivate(), List.of(certificate));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A self-signed TLS server certificate for 127.0.0.1 (subject alternative name), valid for a
   * year.
   */
  public static SigningKey tlsServer(String commonName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=" + commonName + ", O=Sektorbro test, C=DK");
      Instant now = Instant.now();
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  new JcaX509v3CertificateBuilder(
                          name,
                          BigInteger.valueOf(SERIAL.getAndIncrement()),
                          Date.from(now.minus(Duration.ofDays(1))),
                          Date.from(now.plus(Duration.ofDays(365))),
                          name,
                          pair.getPublic())
                      .addExtension(
                          Extension.subjectAlternativeName,
                          false,
                          new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                      .build(
                          new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
      return new SigningKey(pair.getPrivate(), List.of(certificate));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A PKCS#12 trust store holding {@code certificates} as trusted entries. */
  public static void writeTrustStore(List<X509Certificate> certificates, Path file, String password)
      throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("trusted-" + i, certificates.get(i));
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  public static SigningKey valid(String commonName) {
    Instant now = Instant.now();
    return selfSigned(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
  }

  public static SigningKey expired(String commonName) {
    Instant now = Instant.now();
    return selfSigned(commonName, now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)));
  }

  /** Writes the key as a PKCS#12 file (alias "signing"), replacing the file atomically. */
  public static void writePkcs12(SigningKey key, Path file, String password) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "signing",
          key.privateKey(),
          password.toCharArray(),
          key.chain().toArray(new Certificate[0]));
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      try (OutputStream out = Files.newOutputStream(temp)) {
        store.store(out, password.toCharArray());
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
