package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.medcom.BundledIds;
import dk.sektorbro.gateway.medcom.MedComCodes;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The MedCom Acknowledgement (2.0.3) for a received message: response.identifier = the received
 * MessageHeader.id, the code, an OperationOutcome unless ok, the received message's latest
 * Provenance plus a new one (activity acknowledgement, entity role revision). Sender and receiver
 * swap places. Every new resource has a narrative. Pure: ids, time and the fullUrl base come in.
 *
 * <p>References MedCom's Acknowledgement TestScripts check are in the fullUrl form: the new
 * Provenance's target is this acknowledgement's MessageHeader entry fullUrl, its entity the
 * received MessageHeader's entry fullUrl. Copied resources claim the unversioned messaging profiles
 * the Acknowledgement chain (messaging 2.1.0) knows, not the CareCommunication ones.
 */
public final class AcknowledgementBuilder {

  static final String ACK_PROFILE = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/";
  static final String MESSAGING_PROFILE = "http://medcomfhir.dk/ig/messaging/StructureDefinition/";

  /**
   * FHIR's issue-details codes (MSG_BAD_SYNTAX, MSG_DUPLICATE_ID, ...), as terminology 2.0.x lists
   * them.
   */
  public static final String FHIR_ISSUE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/operation-outcome";

  /** MedCom's own (MSG_Receiver_Identifier_UNKNOWN, MSG_Mailbox_Out_Of_Operation, ...). */
  public static final String MEDCOM_ISSUE_SYSTEM =
      "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes";

  /**
   * Used when the received message names no endpoint: MessageHeader.source.endpoint is required.
   */
  static final String UNKNOWN_ENDPOINT = "http://medcomfhir.dk/unknown";

  private AcknowledgementBuilder() {}

  /**
   * One issue of the outcome: a code of MedCom's issue-details ValueSet, its system, and a text
   * without personal data.
   */
  public record AckIssue(String system, String code, String text) {

    public static AckIssue fhir(String code, String text) {
      return new AckIssue(FHIR_ISSUE_SYSTEM, code, text);
    }

    public static AckIssue medcom(String code, String text) {
      return new AckIssue(MEDCOM_ISSUE_SYSTEM, code, text);
    }
  }

  /**
   * @param fullUrlBase the gateway's base for entry fullUrls, e.g. https://sektorbro.local/fhir
   */
  public static Bundle build(
      Bundle received, String code, List<AckIssue> issues, Date now, String fullUrlBase) {
    return build(received, code, issues, now, fullUrlBase, true);
  }

  /**
   * @param copyReceived false only when what the acknowledgement copies from the received message
   *     is what makes it invalid: its latest Provenance (e.g. an activity code MedCom does not
   *     have) or its endpoints (e.g. a value with whitespace, no URL). Copied, they would make the
   *     acknowledgement invalid too, so the fatal-error then carries only its own Provenance and
   *     MedCom's unknown endpoint
   */
  public static Bundle build(
      Bundle received,
      String code,
      List<AckIssue> issues,
      Date now,
      String fullUrlBase,
      boolean copyReceived) {
    String base = fullUrlBase.endsWith("/") ? fullUrlBase : fullUrlBase + "/";
    MessageHeader in = (MessageHeader) received.getEntryFirstRep().getResource();
    Bundle ack = new Bundle();
    ack.setId(UUID.randomUUID().toString());
    ack.getMeta().addProfile(ACK_PROFILE + "medcom-messaging-acknowledgement");
    ack.setType(Bundle.BundleType.MESSAGE);
    ack.setTimestamp(now);
    Organization us =
        copy(resolve(received, in.getDestinationFirstRep().getReceiver()), "receiver");
    Organization them = copy(resolve(received, in.getSender()), "sender");
    MessageHeader header = new MessageHeader();
    header.setId(UUID.randomUUID().toString());
    header.getMeta().addProfile(ACK_PROFILE + "medcom-messaging-acknowledgementHeader");
    header.setEvent(new Coding(MedComCodes.EVENT_SYSTEM, "acknowledgement-message", null));
    header.setSender(ref(us));
    header
        .addDestination()
        .setReceiver(ref(them))
        .setEndpoint(copyReceived ? orUnknown(in.getSource().getEndpoint()) : UNKNOWN_ENDPOINT)
        .addExtension(
            MESSAGING_PROFILE + "medcom-messaging-destinationUseExtension",
            new Coding(MedComCodes.DESTINATION_USE_SYSTEM, "primary", null));
    header
        .getSource()
        .setEndpoint(
            copyReceived ? orUnknown(in.getDestinationFirstRep().getEndpoint()) : UNKNOWN_ENDPOINT);
    header
        .getResponse()
        .setIdentifier(BundledIds.of(in))
        .setCode(MessageHeader.ResponseType.fromCode(code));
    add(ack, header, base);
    OperationOutcome outcome = null;
    if (!issues.isEmpty()) {
      outcome = outcome(issues, code);
      header.getResponse().setDetails(ref(outcome));
      add(ack, outcome, base);
    }
    AckNarrative.messageHeader(header, us, them);
    add(ack, us, base);
    add(ack, them, base);
    if (copyReceived) {
      latestProvenance(received).ifPresent(p -> add(ack, copy(p), base));
    }
    Provenance own = provenance(ack, header, us, received, now);
    add(ack, own, base);
    return ack;
  }

  /**
   * The acknowledgement answering a duplicate: the same response (same MessageHeader and outcome),
   * but a new Bundle.id and timestamp and the acknowledgement Provenance's times of this sending
   * (MedCom: the ack of a duplicate has a new Bundle.id and timestamp).
   */
  public static Bundle restamp(Bundle ack, Date now) {
    Bundle again = ack.copy();
    again.setId(UUID.randomUUID().toString());
    again.setTimestamp(now);
    again.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(Provenance.class::isInstance)
        .map(Provenance.class::cast)
        .filter(p -> "acknowledgement".equals(p.getActivity().getCodingFirstRep().getCode()))
        .forEach(
            p -> {
              p.setOccurred(new DateTimeType(now));
              p.setRecorded(now);
              AckNarrative.provenance(p);
            });
    return again;
  }

  /** The issues an acknowledgement this builder made carries (none for a plain ok). */
  public static List<AckIssue> issues(Bundle ack) {
    return ack.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(OperationOutcome.class::isInstance)
        .map(OperationOutcome.class::cast)
        .flatMap(o -> o.getIssue().stream())
        .map(
            i ->
                new AckIssue(
                    i.getDetails().getCodingFirstRep().getSystem(),
                    i.getDetails().getCodingFirstRep().getCode(),
                    i.getDetails().getText()))
        .toList();
  }

  private static OperationOutcome outcome(List<AckIssue> issues, String code) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.setId(UUID.randomUUID().toString());
    outcome.getMeta().addProfile(ACK_PROFILE + "medcom-acknowledgement-operationoutcome");
    OperationOutcome.IssueSeverity severity =
        "ok".equals(code)
            ? OperationOutcome.IssueSeverity.INFORMATION
            : OperationOutcome.IssueSeverity.ERROR;
    for (AckIssue issue : issues) {
      outcome
          .addIssue()
          .setSeverity(severity)
          .setCode(
              "transient-error".equals(code)
                  ? OperationOutcome.IssueType.TRANSIENT
                  : OperationOutcome.IssueType.INVALID)
          .setDetails(
              new CodeableConcept(new Coding(issue.system(), issue.code(), null))
                  .setText(issue.text()));
    }
    AckNarrative.outcome(outcome);
    return outcome;
  }

  private static Provenance provenance(
      Bundle ack, MessageHeader header, Organization us, Bundle received, Date now) {
    Provenance p = new Provenance();
    p.setId(UUID.randomUUID().toString());
    p.getMeta().addProfile(MESSAGING_PROFILE + "medcom-messaging-provenance");
    p.addTarget(new Reference(fullUrlOf(ack, header)));
    p.setOccurred(new DateTimeType(now));
    p.setRecorded(now);
    p.setActivity(
        new CodeableConcept(new Coding(MedComCodes.ACTIVITY_SYSTEM, "acknowledgement", null)));
    p.addAgent().setWho(ref(us));
    String receivedHeader =
        received.getEntryFirstRep().getFullUrl() != null
            ? received.getEntryFirstRep().getFullUrl()
            : "MessageHeader/" + BundledIds.of(received.getEntryFirstRep().getResource());
    p.addEntity()
        .setRole(Provenance.ProvenanceEntityRole.REVISION)
        .setWhat(new Reference(receivedHeader));
    AckNarrative.provenance(p);
    return p;
  }

  private static Optional<Provenance> latestProvenance(Bundle bundle) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(Provenance.class::isInstance)
        .map(Provenance.class::cast)
        .max(
            Comparator.comparing(
                Provenance::getRecorded, Comparator.nullsFirst(Comparator.naturalOrder())));
  }

  private static Organization resolve(Bundle bundle, Reference reference) {
    String ref = reference.getReference();
    return bundle.getEntry().stream()
        .filter(e -> e.getResource() instanceof Organization)
        .filter(
            e ->
                ref != null
                    && (ref.equals(e.getFullUrl())
                        || (e.getFullUrl() != null && e.getFullUrl().endsWith("/" + ref))
                        || ref.equals(
                            "Organization/" + e.getResource().getIdElement().getIdPart())))
        .map(e -> (Organization) e.getResource())
        .findFirst()
        .orElse(new Organization());
  }

  private static Organization copy(Organization org, String fallbackId) {
    Organization copy = org.copy();
    if (!copy.hasIdElement() || copy.getIdElement().getIdPart() == null) {
      copy.setId(fallbackId);
    }
    copy.setIdElement(new IdType(BundledIds.of(copy)));
    copy.getMeta()
        .setProfile(
            List.of(new CanonicalType(MESSAGING_PROFILE + "medcom-messaging-organization")));
    if (!copy.hasText()) {
      AckNarrative.organization(copy);
    }
    return copy;
  }

  // The received message's latest Provenance, unchanged but for the profile claim: its own family's
  // Provenance profile (e.g. medcom-careCommunication-provenance|5.0.x) is not in the
  // Acknowledgement chain.
  private static Provenance copy(Provenance provenance) {
    Provenance copy = provenance.copy();
    copy.setIdElement(new IdType(BundledIds.of(copy)));
    copy.getMeta()
        .setProfile(List.of(new CanonicalType(MESSAGING_PROFILE + "medcom-messaging-provenance")));
    return copy;
  }

  private static String orUnknown(String endpoint) {
    return endpoint == null || endpoint.isBlank() ? UNKNOWN_ENDPOINT : endpoint;
  }

  private static void add(Bundle bundle, Resource resource, String base) {
    bundle
        .addEntry()
        .setFullUrl(base + resource.fhirType() + "/" + resource.getIdElement().getIdPart())
        .setResource(resource);
  }

  private static String fullUrlOf(Bundle bundle, Resource resource) {
    return bundle.getEntry().stream()
        .filter(e -> e.getResource() == resource)
        .map(Bundle.BundleEntryComponent::getFullUrl)
        .findFirst()
        .orElseThrow();
  }

  private static Reference ref(Resource resource) {
    return new Reference(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
  }
}
