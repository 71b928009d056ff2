package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.medcom.MedComCodes;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The MedCom Acknowledgement (2.0) for a received message: response.identifier = the received
 * MessageHeader.id, the code, an OperationOutcome unless ok, the received message's latest
 * Provenance plus a new one (activity acknowledgement, entity role revision). Sender and receiver
 * swap places. Pure: ids and time come in.
 */
public final class AcknowledgementBuilder {

  static final String ACK_PROFILE = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/";
  static final String ISSUE_SYSTEM = "http://terminology.hl7.org/CodeSystem/operation-outcome";
  private static final String BASE = "https://sektorbro.local/fhir/";

  private AcknowledgementBuilder() {}

  /** One issue of the outcome: MedCom issue-details code and a text without personal data. */
  public record AckIssue(String code, String text) {}

  public static Bundle build(Bundle received, String code, List<AckIssue> issues, Date now) {
    MessageHeader in = (MessageHeader) received.getEntryFirstRep().getResource();
    Bundle ack = new Bundle();
    ack.setId(UUID.randomUUID().toString());
    ack.getMeta().addProfile(ACK_PROFILE + "medcom-messaging-acknowledgement");
    ack.setType(Bundle.BundleType.MESSAGE);
    ack.setTimestamp(now);
    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header.getMeta().addProfile(ACK_PROFILE + "medcom-messaging-acknowledgementHeader");
    header.setEvent(new Coding(MedComCodes.EVENT_SYSTEM, "acknowledgement-message", null));
    Organization us = copy(resolve(received, in.getDestinationFirstRep().getReceiver()), "receiver");
    Organization them = copy(resolve(received, in.getSender()), "sender");
    header.setSender(ref(us));
    header.addDestination().setReceiver(ref(them)).setEndpoint(in.getSource().getEndpoint())
        .addExtension("http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-destinationUseExtension",
            new Coding("http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse", "primary", null));
    header.getSource().setEndpoint(in.getDestinationFirstRep().getEndpoint());
    header.getResponse().setIdentifier(in.getIdPart()).setCode(MessageHeader.ResponseType.fromCode(code));
    add(ack, header);
    if (!issues.isEmpty()) {
      OperationOutcome outcome = outcome(issues, code);
      header.getResponse().setDetails(ref(outcome));
      add(ack, outcome);
    }
    add(ack, us);
    add(ack, them);
    latestProvenance(received).ifPresent(p -> add(ack, p.copy()));
    add(ack, provenance(header, us, in, now));
    return ack;
  }

  private static OperationOutcome outcome(List<AckIssue> issues, String code) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.setId(UUID.randomUUID().toString());
    outcome.getMeta().addProfile(ACK_PROFILE + "medcom-acknowledgement-operationoutcome");
    OperationOutcome.IssueSeverity severity = "ok".equals(code)
        ? OperationOutcome.IssueSeverity.INFORMATION : OperationOutcome.IssueSeverity.ERROR;
    for (AckIssue issue : issues) {
      outcome.addIssue().setSeverity(severity)
          .setCode("transient-error".equals(code) ? OperationOutcome.IssueType.TRANSIENT
              : OperationOutcome.IssueType.INVALID)
          .setDetails(new CodeableConcept(new Coding(ISSUE_SYSTEM, issue.code(), null)).setText(issue.text()));
    }
    return outcome;
  }

  private static Provenance provenance(MessageHeader ack, Organization us, MessageHeader received, Date now) {
    Provenance p = new Provenance();
    p.setId(UUID.randomUUID().toString());
    p.addTarget(ref(ack));
    p.setOccurred(new org.hl7.fhir.r4.model.DateTimeType(now));
    p.setRecorded(now);
    p.setActivity(new CodeableConcept(new Coding(MedComCodes.ACTIVITY_SYSTEM, "acknowledgement", null)));
    p.addAgent().setWho(ref(us));
    p.addEntity().setRole(Provenance.ProvenanceEntityRole.REVISION)
        .setWhat(new Reference("MessageHeader/" + received.getIdPart()));
    return p;
  }

  private static Optional<Provenance> latestProvenance(Bundle bundle) {
    return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(Provenance.class::isInstance).map(Provenance.class::cast)
        .max(Comparator.comparing(Provenance::getRecorded, Comparator.nullsFirst(Comparator.naturalOrder())));
  }

  private static Organization resolve(Bundle bundle, Reference reference) {
    String ref = reference.getReference();
    return bundle.getEntry().stream()
        .filter(e -> e.getResource() instanceof Organization)
        .filter(e -> ref != null && (ref.equals(e.getFullUrl())
            || ref.equals("Organization/" + e.getResource().getIdElement().getIdPart())))
        .map(e -> (Organization) e.getResource()).findFirst().orElse(new Organization());
  }

  private static Organization copy(Organization org, String fallbackId) {
    Organization copy = org.copy();
    if (!copy.hasIdElement() || copy.getIdElement().getIdPart() == null) {
      copy.setId(fallbackId);
    }
    return copy;
  }

  private static void add(Bundle bundle, Resource resource) {
    bundle.addEntry().setFullUrl(BASE + resource.fhirType() + "/" + resource.getIdElement().getIdPart())
        .setResource(resource);
  }

  private static Reference ref(Resource resource) {
    return new Reference(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
  }
}
