package dk.sektorbro.gateway.delivery;

import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * A resend under MedCom reliable messaging (MR7): new Bundle.id and Bundle.timestamp, new
 * timestamps on this message's own Provenance, the same MessageHeader.id, so the receiver
 * recognises a resend of a message it may already have. Earlier Provenances (the thread) stay.
 */
public final class BundleRenewal {

  private BundleRenewal() {}

  public static Bundle renew(Bundle bundle, String newBundleId, Date now) {
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    String headerId = header.getIdPart();
    bundle.setId(newBundleId);
    bundle.setTimestamp(now);
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof Provenance provenance && targetsHeader(provenance, headerId)) {
        provenance.setOccurred(new DateTimeType(now));
        provenance.setRecordedElement(new InstantType(now));
      }
    }
    return bundle;
  }

  private static boolean targetsHeader(Provenance provenance, String headerId) {
    for (Reference target : provenance.getTarget()) {
      String ref = target.getReference();
      if (ref != null && (ref.endsWith("MessageHeader/" + headerId) || ref.endsWith(":" + headerId))) {
        return true;
      }
    }
    return false;
  }
}
