package dk.sektorbro.gateway.delivery.signing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * CMS SignedData over a payload, the payload encapsulated (attached) and the signer's chain
 * included, so the receiver needs nothing but the bytes and its trust anchors.
 */
public final class CmsSigner {

  public static final String MIME_TYPE = "application/pkcs7-mime";

  private CmsSigner() {}

  public static byte[] sign(byte[] payload, SigningKey key) throws GeneralSecurityException {
    try {
      String algorithm =
          key.privateKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
      generator.addSignerInfoGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .build(
                  new JcaContentSignerBuilder(algorithm).build(key.privateKey()),
                  key.certificate()));
      generator.addCertificates(new JcaCertStore(key.chain()));
      return generator.generate(new CMSProcessableByteArray(payload), true).getEncoded();
    } catch (CMSException | OperatorCreationException | IOException e) {
      throw new GeneralSecurityException("CMS signing failed", e);
    }
  }
}
