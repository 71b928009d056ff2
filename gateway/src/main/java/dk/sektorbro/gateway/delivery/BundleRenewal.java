package dk.sektorbro.gateway.delivery;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Bundle;
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
    bundle.setTimestampElement(
        new InstantType(
            now, TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("Europe/Copenhagen")));
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.getResource() instanceof Provenance provenance
          && targetsHeader(provenance, headerId)) {
        // Both times in Danish local time, and the narrative says the new times (not the first
        // send's).
        CareCommunicationBuilder.renewSentTime(provenance, now);
      }
    }
    return bundle;
  }

  private static boolean targetsHeader(Provenance provenance, String headerId) {
    for (Reference target : provenance.getTarget()) {
      String ref = target.getReference();
      if (ref != null
          && (ref.endsWith("MessageHeader/" + headerId) || ref.endsWith(":" + headerId))) {
        return true;
      }
    }
    return false;
  }
}
