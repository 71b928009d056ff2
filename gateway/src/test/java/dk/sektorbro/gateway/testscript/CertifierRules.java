package dk.sektorbro.gateway.testscript;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * What a certifier checks on a CareCommunication beyond MedCom's TestScripts, as the medcom
 * messaging facts state it (§0, §2, §3.4, §3.5, §11), written from that text and not from the
 * gateway's code: one primary destination and no carbon copy, sender and receiver organisations
 * with SOR and EAN, the step's Provenance (activity, target, agent, the previous MessageHeader),
 * all earlier Provenances plus one, the thread id kept on a reply and new on a forward, every
 * timestamp with a time zone, versions where the message states them. Pure: the violations, empty
 * when the message meets them.
 */
final class CertifierRules {

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern ZONED = Pattern.compile(".*T.*(Z|[+-]\\d\\d:\\d\\d)$");
  private static final String CC = "http://medcomfhir.dk/ig/carecommunication/StructureDefinition/";
  private static final String DESTINATION_USE =
      "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-destinationUseExtension";
  private static final String DEFINITION =
      "http://medcomfhir.dk/ig/messagedefinitions/MessageDefinition/MedComCareCommunicationMessageDefinition|5.0";

  private CertifierRules() {}

  /**
   * @param activity the step's activity code: new-message, reply-message or forward-message
   * @param previous the message replied to or forwarded (null for a new message)
   */
  static List<String> check(Bundle sent, String activity, Bundle previous) {
    List<String> violations = new ArrayList<>();
    if (!(sent.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
      violations.add("the first entry is not a MessageHeader");
      return violations;
    }
    uuid(violations, "Bundle.id", sent.getIdPart());
    uuid(violations, "MessageHeader.id", header.getIdPart());
    profile(violations, "Bundle", sent, CC + "medcom-careCommunication-message");
    profile(violations, "MessageHeader", header, CC + "medcom-careCommunication-messageHeader");
    if (!DEFINITION.equals(header.getDefinition())) {
      violations.add("MessageHeader.definition is " + header.getDefinition());
    }
    if (header.getDestination().size() != 1) {
      violations.add(header.getDestination().size() + " destinations, expected one primary");
    }
    for (MessageHeader.MessageDestinationComponent d : header.getDestination()) {
      Extension use = d.getExtensionByUrl(DESTINATION_USE);
      String code = use != null && use.getValue() instanceof Coding c ? c.getCode() : null;
      if (!"primary".equals(code)) {
        violations.add("destination use is " + code + ", expected primary (no carbon copy)");
      }
      if (!d.hasEndpoint()) {
        violations.add("destination without endpoint");
      }
    }
    Organization receiver =
        organisation(violations, sent, "receiver", header.getDestinationFirstRep().getReceiver());
    Organization sender = organisation(violations, sent, "sender", header.getSender());
    if (!header.getSource().hasEndpoint()) {
      violations.add("MessageHeader.source.endpoint missing");
    }
    List<Patient> patients = of(sent, Patient.class);
    if (patients.size() != 1) {
      violations.add(patients.size() + " Patients, expected one");
    }
    zones(violations, sent);
    provenance(violations, sent, header, sender, activity, previous);
    thread(violations, sent, header, receiver, activity, previous);
    return violations;
  }

  private static void provenance(
      List<String> violations,
      Bundle sent,
      MessageHeader header,
      Organization sender,
      String activity,
      Bundle previous) {
    List<Provenance> provenances = of(sent, Provenance.class);
    List<Provenance> own =
        provenances.stream().filter(p -> targets(p, header.getIdPart())).toList();
    if (own.size() != 1) {
      violations.add(own.size() + " Provenances target this MessageHeader, expected one");
      return;
    }
    Provenance p = own.get(0);
    String code = p.getActivity().getCodingFirstRep().getCode();
    if (!activity.equals(code)) {
      violations.add("this message's Provenance activity is " + code + ", expected " + activity);
    }
    if (sender != null
        && !p.getAgent().isEmpty()
        && !p.getAgentFirstRep().getWho().getReference().endsWith(sender.getIdPart())) {
      violations.add("this message's Provenance agent is not the MessageHeader sender");
    }
    profile(violations, "Provenance", p, CC + "medcom-careCommunication-provenance");
    List<String> revisions =
        p.getEntity().stream()
            .filter(e -> e.getRole() == Provenance.ProvenanceEntityRole.REVISION)
            .map(e -> e.getWhat().getReference())
            .toList();
    if (previous == null) {
      if (!revisions.isEmpty()) {
        violations.add("a new message's Provenance names a previous message " + revisions);
      }
      if (provenances.size() != 1) {
        violations.add(provenances.size() + " Provenances in a new message, expected one");
      }
      return;
    }
    String previousHeader = previous.getEntryFirstRep().getResource().getIdPart();
    if (revisions.size() != 1 || !revisions.get(0).endsWith(previousHeader)) {
      violations.add(
          "revision entity "
              + revisions
              + ", expected the previous MessageHeader "
              + previousHeader);
    }
    int earlier = of(previous, Provenance.class).size();
    if (provenances.size() != earlier + 1) {
      violations.add(
          provenances.size()
              + " Provenances, expected the previous message's "
              + earlier
              + " plus one");
    }
  }

  private static void thread(
      List<String> violations,
      Bundle sent,
      MessageHeader header,
      Organization receiver,
      String activity,
      Bundle previous) {
    List<Communication> communications = of(sent, Communication.class);
    if (communications.size() != 1) {
      violations.add(communications.size() + " Communications, expected one");
      return;
    }
    String thread = communications.get(0).getIdentifierFirstRep().getValue();
    if (thread == null
        || !thread.startsWith("urn:uuid:")
        || !UUID.matcher(thread.substring(9)).matches()) {
      violations.add("Communication.identifier " + thread + " is not urn:uuid:<uuid>");
    }
    if (previous == null) {
      return;
    }
    MessageHeader before = (MessageHeader) previous.getEntryFirstRep().getResource();
    String previousThread =
        of(previous, Communication.class).get(0).getIdentifierFirstRep().getValue();
    boolean same = thread != null && thread.equals(previousThread);
    if (activity.equals("reply-message") && !same) {
      violations.add("a reply changed the thread id");
    }
    if (activity.equals("forward-message") && same) {
      violations.add("a forward kept the thread id");
    }
    // MedCom's examples share generic endpoints (http://medcomfhir.dk/unknown): a copy shows as
    // the previous sender's SOR code in ours.
    String previousSor = sor(previous, before.getSender());
    String endpoint = header.getSource().getEndpoint();
    if (endpoint != null
        && !previousSor.equals(sor(sent, header.getSender()))
        && endpoint.contains(previousSor)) {
      violations.add("MessageHeader.source.endpoint is the previous sender's");
    }
    // A reply goes to the previous message's sender; a follow-up in one's own thread (the previous
    // message was ours) to its receiver again.
    String ourSor = sor(sent, header.getSender());
    String expected =
        previousSor.equals(ourSor)
            ? sor(previous, before.getDestinationFirstRep().getReceiver())
            : previousSor;
    if (activity.equals("reply-message")
        && receiver != null
        && !sor(sent, header.getDestinationFirstRep().getReceiver()).equals(expected)) {
      violations.add(
          "a reply is not addressed to the previous message's sender (" + expected + ")");
    }
  }

  private static Organization organisation(
      List<String> violations, Bundle bundle, String role, Reference reference) {
    Resource r = resolve(bundle, reference);
    if (!(r instanceof Organization o)) {
      violations.add(
          "MessageHeader " + role + " does not resolve to an Organization in the Bundle");
      return null;
    }
    String sor = value(o.getIdentifier(), "urn:oid:1.2.208.176.1.1");
    String gln = value(o.getIdentifier(), "https://www.gs1.org/gln");
    if (sor == null || !sor.matches("\\d{11,}")) {
      violations.add(role + " organisation without a SOR-ID");
    }
    if (gln == null || !gln.matches("\\d{13}")) {
      violations.add(role + " organisation without an EAN-ID (https://www.gs1.org/gln)");
    }
    return o;
  }

  private static String sor(Bundle bundle, Reference reference) {
    Resource r = resolve(bundle, reference);
    return r instanceof Organization o
        ? String.valueOf(value(o.getIdentifier(), "urn:oid:1.2.208.176.1.1"))
        : "?";
  }

  /** Every dateTime and instant of the message carries a time zone (§3.5). */
  private static void zones(List<String> violations, Bundle sent) {
    if (!sent.getTimestampElement().hasValue()
        || !ZONED.matcher(sent.getTimestampElement().getValueAsString()).matches()) {
      violations.add(
          "Bundle.timestamp " + sent.getTimestampElement().getValueAsString() + " has no zone");
    }
    for (Bundle.BundleEntryComponent e : sent.getEntry()) {
      walk(
          violations,
          e.getResource().fhirType() + "/" + e.getResource().getIdPart(),
          e.getResource());
    }
  }

  private static void walk(List<String> violations, String where, Base element) {
    for (org.hl7.fhir.r4.model.Property property : element.children()) {
      for (Base value : property.getValues()) {
        if (value instanceof BaseDateTimeType d
            && d.hasValue()
            && d.getPrecision().compareTo(ca.uhn.fhir.model.api.TemporalPrecisionEnum.MINUTE) >= 0
            && !ZONED.matcher(d.getValueAsString()).matches()) {
          violations.add(
              where + " " + property.getName() + " " + d.getValueAsString() + " has no zone");
        } else if (!value.isPrimitive()) {
          walk(violations, where, value);
        }
      }
    }
  }

  private static void profile(List<String> violations, String what, Resource r, String canonical) {
    List<String> profiles = r.getMeta().getProfile().stream().map(p -> p.getValue()).toList();
    boolean claims =
        profiles.stream().anyMatch(p -> p.equals(canonical) || p.startsWith(canonical + "|5.0."));
    if (!claims) {
      violations.add(
          what + ".meta.profile " + profiles + " does not claim " + canonical + " (5.0.x)");
    }
  }

  private static void uuid(List<String> violations, String what, String value) {
    if (value == null || !UUID.matcher(value).matches()) {
      violations.add(what + " " + value + " is not a UUID");
    }
  }

  private static boolean targets(Provenance p, String headerId) {
    return p.getTarget().stream()
        .anyMatch(
            t ->
                t.getReference() != null && t.getReference().endsWith("MessageHeader/" + headerId));
  }

  private static Resource resolve(Bundle bundle, Reference reference) {
    if (reference == null || reference.getReference() == null) {
      return null;
    }
    String ref = reference.getReference();
    return bundle.getEntry().stream()
        .filter(
            e ->
                e.getFullUrl() != null
                    && (e.getFullUrl().equals(ref) || e.getFullUrl().endsWith("/" + ref)))
        .map(Bundle.BundleEntryComponent::getResource)
        .findFirst()
        .orElse(null);
  }

  private static String value(List<Identifier> identifiers, String system) {
    return identifiers.stream()
        .filter(i -> system.equals(i.getSystem()))
        .map(Identifier::getValue)
        .findFirst()
        .orElse(null);
  }

  private static <T extends Resource> List<T> of(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
