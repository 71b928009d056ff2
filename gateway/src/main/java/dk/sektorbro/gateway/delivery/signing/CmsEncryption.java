package dk.sektorbro.gateway.delivery.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;

/**
 * Optional CMS EnvelopedData to the recipient's certificate (AES-256-CBC content key, RSA key
 * transport), applied after signing so only the recipient can read the signed payload.
 */
public final class CmsEncryption {

  private CmsEncryption() {}

  public static byte[] encrypt(byte[] payload, X509Certificate recipient)
      throws GeneralSecurityException {
    try {
      CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
      generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(recipient));
      return generator
          .generate(
              new CMSProcessableByteArray(payload),
              new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).build())
          .getEncoded();
    } catch (CMSException | IOException e) {
      throw new GeneralSecurityException("CMS encryption failed", e);
    }
  }

  public static byte[] decrypt(byte[] enveloped, PrivateKey key) throws GeneralSecurityException {
    try {
      RecipientInformation recipient =
          new CMSEnvelopedData(enveloped).getRecipientInfos().getRecipients().iterator().next();
      return recipient.getContent(new JceKeyTransEnvelopedRecipient(key));
    } catch (CMSException e) {
      throw new GeneralSecurityException("CMS decryption failed", e);
    }
  }

  /**
   * The recipient certificate (PEM or DER), read on every use so a replaced file takes effect at
   * once.
   */
  public static X509Certificate certificate(Path file)
      throws GeneralSecurityException, IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
