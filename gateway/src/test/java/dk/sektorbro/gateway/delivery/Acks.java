package dk.sektorbro.gateway.delivery;

import ca.uhn.fhir.context.FhirContext;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;

/** MedCom Acknowledgements as a hospital would send them, for the test peers. */
final class Acks {

  static final FhirContext FHIR = FhirContext.forR4Cached();

  private Acks() {}

  /** The MessageHeader id and Bundle id of a sent plain FHIR message (XML). */
  static String[] ids(String xml) {
    Bundle bundle = FHIR.newXmlParser().parseResource(Bundle.class, xml);
    return new String[] {bundle.getEntryFirstRep().getResource().getIdElement().getIdPart(), bundle.getIdPart()};
  }

  static String ack(String respondsTo, String code) {
    Bundle bundle = new Bundle();
    bundle.setId(UUID.randomUUID().toString());
    bundle.setType(Bundle.BundleType.MESSAGE);
    bundle.setTimestamp(new Date());
    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header.setEvent(new Coding("http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes",
        "acknowledgement-message", null));
    header.getResponse().setIdentifier(respondsTo).setCode(MessageHeader.ResponseType.fromCode(code));
    bundle.addEntry().setFullUrl("urn:uuid:" + header.getId()).setResource(header);
    if (!"ok".equals(code)) {
      OperationOutcome outcome = new OperationOutcome();
      outcome.setId(UUID.randomUUID().toString());
      outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.INVALID)
          .setDetails(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/operation-outcome",
              "MSG_RESOURCE_REQUIRED", null)));
      bundle.addEntry().setFullUrl("urn:uuid:" + outcome.getId()).setResource(outcome);
      header.getResponse().setDetails(new Reference(outcome));
    }
    return FHIR.newJsonParser().encodeResourceToString(bundle);
  }
}
