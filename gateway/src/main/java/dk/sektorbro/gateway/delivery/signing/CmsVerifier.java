package dk.sektorbro.gateway.delivery.signing;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Checks a CMS SignedData payload and returns the signed content: every signature must match the
 * content, the signer's certificate must be valid at {@code now}, and, when trust anchors are
 * given, issued by one of them (or be one of them).
 */
public final class CmsVerifier {

  private CmsVerifier() {}

  public static byte[] verify(byte[] signed, List<X509Certificate> trustAnchors, Instant now)
      throws SignatureRefused {
    CMSSignedData data;
    try {
      data = new CMSSignedData(signed);
    } catch (CMSException | RuntimeException e) {
      throw new SignatureRefused("payload is not CMS SignedData");
    }
    if (data.getSignedContent() == null || data.getSignerInfos().size() == 0) {
      throw new SignatureRefused("CMS payload has no signed content or no signature");
    }
    for (SignerInformation signer : data.getSignerInfos().getSigners()) {
      X509Certificate certificate = signerCertificate(data, signer);
      checkValidity(certificate, now);
      checkTrust(certificate, trustAnchors);
      try {
        if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate))) {
          throw new SignatureRefused("signature does not match the content (tampered payload)");
        }
      } catch (CMSException | OperatorCreationException e) {
        throw new SignatureRefused("signature does not match the content (tampered payload)");
      }
    }
    return (byte[]) data.getSignedContent().getContent();
  }

  private static X509Certificate signerCertificate(CMSSignedData data, SignerInformation signer)
      throws SignatureRefused {
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> matches = data.getCertificates().getMatches(signer.getSID());
    if (matches.isEmpty()) {
      throw new SignatureRefused("the signer's certificate is not in the CMS payload");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
    } catch (CertificateException e) {
      throw new SignatureRefused("the signer's certificate cannot be read");
    }
  }

  private static void checkValidity(X509Certificate certificate, Instant now)
      throws SignatureRefused {
    Date at = Date.from(now);
    if (at.after(certificate.getNotAfter())) {
      throw new SignatureRefused(
          "signer certificate expired on "
              + certificate.getNotAfter().toInstant()
              + " (serial "
              + certificate.getSerialNumber()
              + ")");
    }
    if (at.before(certificate.getNotBefore())) {
      throw new SignatureRefused(
          "signer certificate not valid before " + certificate.getNotBefore().toInstant());
    }
  }

  private static void checkTrust(X509Certificate certificate, List<X509Certificate> anchors)
      throws SignatureRefused {
    if (anchors.isEmpty()) {
      return;
    }
    for (X509Certificate anchor : anchors) {
      if (anchor.equals(certificate)) {
        return;
      }
      if (anchor.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
        try {
          certificate.verify(anchor.getPublicKey());
          return;
        } catch (GeneralSecurityException ignored) {
          // try the next anchor
        }
      }
    }
    throw new SignatureRefused(
        "signer certificate is not issued by a trusted certificate (serial "
            + certificate.getSerialNumber()
            + ")");
  }
}
