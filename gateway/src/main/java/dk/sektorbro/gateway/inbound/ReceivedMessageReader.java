package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.mapping.ReverseField;
import dk.sektorbro.gateway.mapping.ReverseInput;
import dk.sektorbro.gateway.medcom.BundledIds;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Communication.CommunicationPayloadComponent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Reads what a municipal system needs from a received MedCom message (CareCommunication 5.0):
 * header, organisations, citizen, category, topic, thread and episode ids, the text segment this
 * message added with its author, and its attachments. A reply or forward repeats the thread's
 * earlier segments first (MedCom governance rules 3-6); the segments this message added are the
 * "source" entities of its own Provenance (the one whose target is its MessageHeader). Attachments:
 * those this message added (data or link), plus earlier ones it carries with data (a forward); a
 * reply's earlier attachments come without data and are left out. Pure: Bundle in, values out.
 */
public final class ReceivedMessageReader {

  private ReceivedMessageReader() {}

  /** The citizen's CPR number (the Patient's CPR identifier), if the message names one. */
  public static Optional<String> citizenCpr(Bundle bundle) {
    return resources(bundle, Patient.class).stream()
        .findFirst()
        .flatMap(p -> identifier(p.getIdentifier(), MedComProfiles.CPR_SYSTEM));
  }

  public static ReverseInput read(Bundle bundle) {
    Map<String, String> v = new LinkedHashMap<>();
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    put(v, ReverseField.MESSAGE_HEADER_ID, BundledIds.of(header));
    organisation(v, "sender", resolve(bundle, header.getSender(), Organization.class));
    organisation(
        v,
        "recipient",
        resolve(bundle, header.getDestinationFirstRep().getReceiver(), Organization.class));
    resources(bundle, Patient.class).stream().findFirst().ifPresent(p -> citizen(v, p));
    List<Map<String, String>> attachments = new ArrayList<>();
    Optional<Communication> found = resources(bundle, Communication.class).stream().findFirst();
    if (found.isPresent()) {
      Communication c = found.get();
      put(v, ReverseField.THREAD_ID, stripUrn(c.getIdentifierFirstRep().getValue()));
      put(v, ReverseField.CATEGORY, c.getCategoryFirstRep().getCodingFirstRep().getCode());
      put(v, ReverseField.TOPIC, c.getTopic().getText());
      put(v, ReverseField.PRIORITY, c.hasPriority() ? c.getPriority().toCode() : null);
      resolve(bundle, c.getEncounter(), Encounter.class)
          .ifPresent(
              e ->
                  put(
                      v,
                      ReverseField.EPISODE_OF_CARE_ID,
                      e.getEpisodeOfCareFirstRep().getIdentifier().getValue()));
      Set<String> added = addedSegments(bundle);
      boolean continuesThread = resources(bundle, Provenance.class).size() > 1;
      newestText(c, added, continuesThread).ifPresent(segment -> textSegment(v, bundle, segment));
      for (CommunicationPayloadComponent payload : c.getPayload()) {
        if (payload.getContent() instanceof Attachment a
            && (a.hasData() || (a.hasUrl() && added.contains(segmentId(payload))))) {
          attachments.add(attachment(a));
        }
      }
    }
    return new ReverseInput(v, attachments);
  }

  // Without a Provenance naming them (not MedCom-conformant, but readable), the last text is the
  // newest.
  // A reply (earlier Provenances present) whose own Provenance names only attachments added just a
  // file: its repeated text was handed over with the earlier message. A first message keeps its
  // text even when its Provenance names other ids (MedCom's example Bundle-gfd00bc2 does).
  private static Optional<CommunicationPayloadComponent> newestText(
      Communication c, Set<String> added, boolean continuesThread) {
    CommunicationPayloadComponent newest = null;
    CommunicationPayloadComponent last = null;
    for (CommunicationPayloadComponent payload : c.getPayload()) {
      if (payload.getContent() instanceof StringType) {
        last = payload;
        if (added.contains(segmentId(payload))) {
          newest = payload;
        }
      }
    }
    return Optional.ofNullable(
        newest != null ? newest : added.isEmpty() || !continuesThread ? last : null);
  }

  /**
   * The segment identifiers this message's Provenance names as sources: the one whose target is
   * this MessageHeader (MedCom), else the latest recorded.
   */
  private static Set<String> addedSegments(Bundle bundle) {
    String header =
        "MessageHeader/" + bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
    List<Provenance> provenances = resources(bundle, Provenance.class);
    Optional<Provenance> own =
        provenances.stream()
            .filter(
                p ->
                    p.getTarget().stream()
                        .anyMatch(
                            t -> t.getReference() != null && t.getReference().endsWith(header)))
            .reduce((first, second) -> second)
            .or(
                () ->
                    provenances.stream()
                        .max(
                            Comparator.comparing(
                                Provenance::getRecorded,
                                Comparator.nullsFirst(Comparator.naturalOrder()))));
    return own.map(
            p ->
                p.getEntity().stream()
                    .filter(e -> e.getRole() == Provenance.ProvenanceEntityRole.SOURCE)
                    .map(e -> e.getWhat().getIdentifier().getValue())
                    .filter(Objects::nonNull)
                    .collect(Collectors.toSet()))
        .orElse(Set.of());
  }

  private static String segmentId(CommunicationPayloadComponent segment) {
    return extension(segment, MedComProfiles.IDENTIFIER_EXTENSION) instanceof Identifier id
        ? id.getValue()
        : null;
  }

  private static void textSegment(
      Map<String, String> v, Bundle bundle, CommunicationPayloadComponent segment) {
    put(v, ReverseField.TEXT, ((StringType) segment.getContent()).getValue());
    if (extension(segment, MedComProfiles.DATETIME_EXTENSION) instanceof DateTimeType at) {
      put(v, ReverseField.SENT_AT, at.getValueAsString());
    }
    if (extension(segment, MedComProfiles.CONTACT_EXTENSION) instanceof ContactPoint phone) {
      put(v, ReverseField.AUTHOR_PHONE, phone.getValue());
    }
    if (extension(segment, MedComProfiles.PRACTITIONER_EXTENSION) instanceof Reference ref) {
      resolve(bundle, ref, PractitionerRole.class)
          .ifPresent(
              role -> {
                put(
                    v,
                    ReverseField.AUTHOR_ROLE,
                    role.getCodeFirstRep().hasCoding()
                        ? role.getCodeFirstRep().getCodingFirstRep().getCode()
                        : role.getCodeFirstRep().getText());
                resolve(bundle, role.getPractitioner(), Practitioner.class)
                    .ifPresent(
                        p -> {
                          HumanName name = p.getNameFirstRep();
                          put(
                              v,
                              ReverseField.AUTHOR_GIVEN_NAME,
                              name.hasGiven() ? name.getGivenAsSingleString() : null);
                          put(v, ReverseField.AUTHOR_FAMILY_NAME, name.getFamily());
                        });
              });
    }
  }

  private static Map<String, String> attachment(Attachment a) {
    Map<String, String> m = new LinkedHashMap<>();
    putIf(m, "title", a.getTitle());
    putIf(m, "contentType", a.getContentType());
    putIf(m, "data", a.getDataElement().getValueAsString());
    putIf(m, "url", a.getUrl());
    putIf(m, "creation", a.hasCreation() ? a.getCreationElement().getValueAsString() : null);
    return m;
  }

  private static void citizen(Map<String, String> v, Patient p) {
    put(
        v,
        ReverseField.CITIZEN_CPR,
        identifier(p.getIdentifier(), MedComProfiles.CPR_SYSTEM).orElse(null));
    HumanName name = p.getNameFirstRep();
    put(v, ReverseField.CITIZEN_GIVEN_NAME, name.hasGiven() ? name.getGivenAsSingleString() : null);
    put(v, ReverseField.CITIZEN_FAMILY_NAME, name.getFamily());
  }

  private static void organisation(Map<String, String> v, String role, Optional<Organization> org) {
    org.ifPresent(
        o -> {
          putIf(
              v,
              role + ".sor",
              identifier(o.getIdentifier(), MedComProfiles.SOR_SYSTEM).orElse(null));
          putIf(
              v,
              role + ".gln",
              identifier(o.getIdentifier(), MedComProfiles.GLN_SYSTEM).orElse(null));
          putIf(v, role + ".name", o.getName());
        });
  }

  private static <T extends Resource> Optional<T> resolve(
      Bundle bundle, Reference reference, Class<T> type) {
    String ref = reference == null ? null : reference.getReference();
    if (ref == null) {
      return Optional.empty();
    }
    return bundle.getEntry().stream()
        .filter(e -> type.isInstance(e.getResource()))
        .filter(
            e ->
                ref.equals(e.getFullUrl())
                    || (e.getFullUrl() != null && e.getFullUrl().endsWith("/" + ref))
                    || ref.equals(
                        type.getSimpleName() + "/" + e.getResource().getIdElement().getIdPart()))
        .map(e -> type.cast(e.getResource()))
        .findFirst();
  }

  private static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private static Optional<String> identifier(List<Identifier> identifiers, String system) {
    return identifiers.stream()
        .filter(i -> system.equals(i.getSystem()))
        .map(Identifier::getValue)
        .findFirst();
  }

  private static Object extension(CommunicationPayloadComponent segment, String url) {
    Extension e = segment.getExtensionByUrl(url);
    return e == null ? null : e.getValue();
  }

  private static String stripUrn(String value) {
    return value != null && value.startsWith("urn:uuid:")
        ? value.substring("urn:uuid:".length())
        : value;
  }

  private static void put(Map<String, String> v, ReverseField field, String value) {
    putIf(v, field.key(), value);
  }

  private static void putIf(Map<String, String> m, String key, String value) {
    if (value != null && !value.isBlank()) {
      m.put(key, value);
    }
  }
}
