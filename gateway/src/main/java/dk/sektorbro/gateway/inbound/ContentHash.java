package dk.sektorbro.gateway.inbound;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;

/**
 * What a received message says, as a SHA-256 that a MedCom resend keeps and changed content does
 * not: a resend has a new Bundle.id and new Provenance timestamps (MedCom's reliable messaging,
 * MR7) and may come as XML where the first was JSON; everything else is the message. Compared when
 * a MessageHeader id arrives again, to tell a resend from changed content under old ids.
 */
public final class ContentHash {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private ContentHash() {}

  public static String of(Bundle received) {
    Bundle copy = received.copy();
    copy.setId((String) null);
    copy.setTimestamp(null);
    copy.getMeta().setLastUpdated(null);
    for (Bundle.BundleEntryComponent entry : copy.getEntry()) {
      if (entry.getResource() instanceof Provenance p) {
        p.setOccurred(null);
        p.setRecorded(null);
      }
    }
    String canonical = FHIR.newJsonParser().setPrettyPrint(false).encodeResourceToString(copy);
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
