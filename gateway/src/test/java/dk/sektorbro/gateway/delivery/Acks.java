package dk.sektorbro.gateway.delivery;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder.AckIssue;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

/**
 * MedCom Acknowledgements as a hospital would send them, for the test peers: built with the
 * gateway's own AcknowledgementBuilder from the message the peer received, so the acknowledging
 * organisation is the message's receiver (the gateway matches acknowledgements on it).
 */
final class Acks {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Map<String, Bundle> RECEIVED = new ConcurrentHashMap<>();

  private Acks() {}

  /**
   * The MessageHeader id and Bundle id of a sent plain FHIR message; remembered for {@link #ack}.
   */
  static String[] ids(String message) {
    Bundle bundle =
        (Bundle)
            (message.stripLeading().startsWith("<") ? FHIR.newXmlParser() : FHIR.newJsonParser())
                .parseResource(message);
    String header = bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
    RECEIVED.put(header, bundle);
    return new String[] {header, bundle.getIdPart()};
  }

  /**
   * The receiver's acknowledgement of the message with this MessageHeader id (any receiver if never
   * seen).
   */
  static String ack(String respondsTo, String code) {
    Bundle message = RECEIVED.getOrDefault(respondsTo, unseen(respondsTo));
    List<AckIssue> issues =
        "ok".equals(code)
            ? List.of()
            : List.of(
                AckIssue.fhir("MSG_RESOURCE_REQUIRED", "test peer: a required element is missing"));
    return FHIR.newJsonParser()
        .encodeResourceToString(
            AcknowledgementBuilder.build(
                message, code, issues, new Date(), "https://hospital.example/fhir"));
  }

  private static Bundle unseen(String headerId) {
    Bundle bundle = new Bundle();
    bundle.setId(UUID.randomUUID().toString());
    bundle.setType(Bundle.BundleType.MESSAGE);
    MessageHeader header = new MessageHeader();
    header.setId(headerId);
    Organization sender = org("sender", "990011000016008", "5790009900016");
    Organization receiver = org("receiver", "990031000016002", "5790009900030");
    header.setSender(new Reference("Organization/sender"));
    header.addDestination().setReceiver(new Reference("Organization/receiver"));
    bundle
        .addEntry()
        .setFullUrl("https://sektorbro.local/fhir/MessageHeader/" + headerId)
        .setResource(header);
    bundle
        .addEntry()
        .setFullUrl("https://sektorbro.local/fhir/Organization/sender")
        .setResource(sender);
    bundle
        .addEntry()
        .setFullUrl("https://sektorbro.local/fhir/Organization/receiver")
        .setResource(receiver);
    return bundle;
  }

  private static Organization org(String id, String sor, String gln) {
    Organization org = new Organization();
    org.setId(id);
    org.setName(id);
    org.addIdentifier().setSystem(MedComProfiles.SOR_SYSTEM).setValue(sor);
    org.addIdentifier().setSystem(MedComProfiles.GLN_SYSTEM).setValue(gln);
    return org;
  }
}
