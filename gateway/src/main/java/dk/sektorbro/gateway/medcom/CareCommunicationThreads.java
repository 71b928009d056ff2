package dk.sektorbro.gateway.medcom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Communication.CommunicationPayloadComponent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Replies and forwards (MedCom governance for CareCommunication, rules 3-19). Pure: takes a new
 * message as {@link CareCommunicationBuilder} built it (new text segment, new ids) and the earlier
 * messages of the thread, oldest first, and makes it a continuation of the latest one:
 *
 * <ul>
 *   <li>the earlier segments come first; a reply references earlier attachments without their data
 *       (rule 6), a forward carries the data (found anywhere in the thread) and may pass on only
 *       chosen segments (a partial thread);
 *   <li>a reply keeps the thread id (Communication.identifier), a forward starts a new thread;
 *   <li>all earlier Provenances are kept and the new one says reply-message or forward-message with
 *       a "revision" entity pointing at the previous MessageHeader;
 *   <li>the authors and organisations of the earlier segments are bundled; a received episode of
 *       care is returned; on a reply the earlier specific sender becomes the recipient (rule 7).
 * </ul>
 *
 * Entries copied from another system's message get this message's fullUrl base, references in the
 * relative form the rest of the Bundle uses, and unversioned profile claims, so that every
 * reference resolves inside the Bundle and every claim names a profile of the loaded package.
 */
public final class CareCommunicationThreads {

  /** How the new message continues the thread. */
  public enum Kind {
    REPLY(MedComCodes.ACTIVITY_REPLY_MESSAGE),
    FORWARD(MedComCodes.ACTIVITY_FORWARD_MESSAGE);

    private final String activity;

    Kind(String activity) {
      this.activity = activity;
    }

    public String activity() {
      return activity;
    }
  }

  private CareCommunicationThreads() {}

  public static Bundle continueThread(Bundle message, List<Bundle> thread, Kind kind) {
    return continueThread(message, thread, kind, List.of());
  }

  /**
   * @param segments on a forward, the identifiers ({@code urn:uuid:...} or bare) of the earlier
   *     segments to pass on; empty passes on all of them
   * @throws IllegalArgumentException when the thread cannot be continued as asked (another citizen,
   *     an unknown segment, an attachment whose data is nowhere in the thread)
   */
  public static Bundle continueThread(
      Bundle message, List<Bundle> thread, Kind kind, List<String> segments) {
    if (thread.isEmpty()) {
      throw new IllegalArgumentException("a reply or forward needs the earlier message");
    }
    Bundle previous = thread.get(thread.size() - 1);
    Communication communication = first(message, Communication.class);
    Communication earlier = first(previous, Communication.class);
    Patient patient = first(message, Patient.class);
    sameCitizen(patient, first(previous, Patient.class));
    if (kind == Kind.REPLY && !segments.isEmpty()) {
      throw new IllegalArgumentException(
          "a reply repeats the whole thread; only a forward passes on chosen segments");
    }
    if (kind == Kind.REPLY) {
      String ownThread = communication.getIdentifierFirstRep().getValue();
      String thread0 = earlier.getIdentifierFirstRep().getValue();
      communication.setIdentifier(List.of(earlier.getIdentifierFirstRep().copy()));
      communication
          .getText()
          .setDivAsString(communication.getText().getDivAsString().replace(ownThread, thread0));
    }
    Copier copier = new Copier(base(message), previous);
    List<CommunicationPayloadComponent> copied =
        earlierSegments(earlier, thread, kind, segments, copier);
    communication.getPayload().addAll(0, copied);
    Provenance provenance = first(message, Provenance.class);
    bundleParticipants(message, previous, provenance, copier);
    List<Resource> history =
        previous.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(Provenance.class::isInstance)
            .map(copier::copy)
            .toList();
    insertBefore(message, provenance, history, copier);
    continueProvenance(provenance, first(previous, MessageHeader.class), kind);
    Narrative narrative = Narrative.extend(communication);
    returnEpisode(message, previous, communication, patient, narrative);
    if (kind == Kind.REPLY) {
      earlierSenderBecomesRecipient(message, earlier, communication, provenance, copier, narrative);
    }
    describeEarlierSegments(narrative, copied, kind);
    narrative.applyTo(communication);
    return message;
  }

  private static void sameCitizen(Patient ours, Patient theirs) {
    Identifier a = ours.getIdentifierFirstRep();
    boolean same =
        theirs.getIdentifier().stream()
            .anyMatch(
                b ->
                    a.getSystem() != null
                        && a.getSystem().equals(b.getSystem())
                        && a.getValue() != null
                        && a.getValue().equals(b.getValue()));
    if (!same) {
      throw new IllegalArgumentException("the earlier message is about another citizen");
    }
  }

  private static List<CommunicationPayloadComponent> earlierSegments(
      Communication earlier, List<Bundle> thread, Kind kind, List<String> chosen, Copier copier) {
    Set<String> wanted = new HashSet<>();
    chosen.forEach(s -> wanted.add(s.startsWith("urn:uuid:") ? s : "urn:uuid:" + s));
    Map<String, Attachment> data = kind == Kind.FORWARD ? attachmentData(thread) : Map.of();
    List<CommunicationPayloadComponent> segments = new ArrayList<>();
    Set<String> found = new HashSet<>();
    for (CommunicationPayloadComponent payload : earlier.getPayload()) {
      String id = segmentId(payload);
      if (!wanted.isEmpty() && !wanted.contains(id)) {
        continue;
      }
      found.add(id);
      CommunicationPayloadComponent copy = payload.copy();
      copier.relativise(copy);
      if (copy.getContent() instanceof Attachment attachment) {
        if (kind == Kind.REPLY) {
          attachment.setData(
              null); // rule 6: earlier attachments by identifier, timestamp and title only
        } else if (!attachment.hasData() && !attachment.hasUrl()) {
          Attachment original = data.get(id);
          if (original == null) {
            throw new IllegalArgumentException(
                "a forward must carry every attachment it passes on, and one is not in the thread: "
                    + id);
          }
          attachment.setDataElement(original.getDataElement().copy());
        }
      }
      segments.add(copy);
    }
    wanted.removeAll(found);
    if (!wanted.isEmpty()) {
      throw new IllegalArgumentException(
          "segments to forward are not in the earlier message: " + wanted);
    }
    return segments;
  }

  private static Map<String, Attachment> attachmentData(List<Bundle> thread) {
    Map<String, Attachment> data = new HashMap<>();
    for (Bundle bundle : thread) {
      for (CommunicationPayloadComponent payload :
          first(bundle, Communication.class).getPayload()) {
        if (payload.getContent() instanceof Attachment a && a.hasData()) {
          data.putIfAbsent(segmentId(payload), a);
        }
      }
    }
    return data;
  }

  // The earlier segments' authors, their practitioners, teams and the organisations must be in the
  // bundle.
  private static void bundleParticipants(
      Bundle message, Bundle previous, Provenance ours, Copier copier) {
    List<Resource> added = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : previous.getEntry()) {
      Resource r = entry.getResource();
      if (r instanceof PractitionerRole
          || r instanceof Practitioner
          || r instanceof CareTeam
          || r instanceof Organization) {
        added.add(copier.copy(r));
      }
    }
    insertBefore(message, ours, added, copier);
  }

  private static void insertBefore(
      Bundle message, Resource anchor, List<Resource> resources, Copier copier) {
    Set<String> present = new HashSet<>();
    message.getEntry().forEach(e -> present.add(key(e.getResource())));
    int at = message.getEntry().indexOf(entryOf(message, anchor));
    List<Bundle.BundleEntryComponent> entries = new ArrayList<>();
    for (Resource r : resources) {
      if (present.add(key(r))) {
        entries.add(new Bundle.BundleEntryComponent().setFullUrl(copier.fullUrl(r)).setResource(r));
      }
    }
    message.getEntry().addAll(at, entries);
  }

  private static void continueProvenance(
      Provenance provenance, MessageHeader previousHeader, Kind kind) {
    provenance
        .getActivity()
        .setCoding(List.of(new Coding(MedComCodes.ACTIVITY_SYSTEM, kind.activity, null)));
    provenance
        .addEntity()
        .setRole(Provenance.ProvenanceEntityRole.REVISION)
        .setWhat(new Reference("MessageHeader/" + previousHeader.getIdPart()));
    CareCommunicationBuilder.describeProvenance(provenance, kind.activity);
  }

  // MedCom: a received episode-of-care id is returned unchanged in the following messages (tec-01,
  // tec-06).
  private static void returnEpisode(
      Bundle message,
      Bundle previous,
      Communication communication,
      Patient patient,
      Narrative narrative) {
    if (communication.hasEncounter()) {
      return; // the source gave its own episode of care
    }
    Identifier episode =
        previous.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(Encounter.class::isInstance)
            .map(Encounter.class::cast)
            .flatMap(e -> e.getEpisodeOfCare().stream())
            .map(r -> r.getIdentifier())
            .filter(i -> i != null && i.hasValue())
            .findFirst()
            .orElse(null);
    if (episode == null) {
      return;
    }
    String id = derivedId(first(message, MessageHeader.class), "episode");
    Encounter encounter =
        CareCommunicationBuilder.episodeEncounter(
            id, episode.getSystem(), episode.getValue(), patient);
    communication.setEncounter(CareCommunicationBuilder.ref(encounter));
    narrative.row(
        "Kontakt",
        CareCommunicationBuilder.reference(encounter) + " (forløb fra tidligere besked)");
    Provenance ours = first(message, Provenance.class);
    message
        .getEntry()
        .add(
            message.getEntry().indexOf(entryOf(message, ours)),
            new Bundle.BundleEntryComponent()
                .setFullUrl(base(message) + "/Encounter/" + id)
                .setResource(encounter));
  }

  // Rule 7: the specific sender of the message replied to becomes the reply's specific recipient;
  // it must belong to the reply's receiving organisation (invariant 12), so it points there.
  private static void earlierSenderBecomesRecipient(
      Bundle message,
      Communication earlier,
      Communication reply,
      Provenance ours,
      Copier copier,
      Narrative narrative) {
    Extension sender = earlier.getExtensionByUrl(MedComProfiles.SENDER_EXTENSION);
    if (reply.hasRecipient()
        || sender == null
        || !(sender.getValue() instanceof Reference r)
        || !r.hasReference()) {
      return;
    }
    Resource unit = copier.resolve(r.getReference());
    MessageHeader header = first(message, MessageHeader.class);
    Reference receiver = header.getDestinationFirstRep().getReceiver();
    String id = derivedId(header, "recipient-unit");
    Resource recipient;
    String name;
    if (unit instanceof CareTeam team) {
      CareTeam copy = team.copy();
      copy.setId(id);
      copy.setManagingOrganization(List.of(new Reference(receiver.getReference())));
      copy.getMeta().setProfile(List.of(new CanonicalType(MedComProfiles.CORE_CARETEAM)));
      copy.setParticipant(List.of());
      name = team.getName();
      Narrative.of("Modtagerenhed", copy)
          .row("Navn", name)
          .row("Organisation", receiver.getReference())
          .applyTo(copy);
      recipient = copy;
    } else if (unit instanceof PractitionerRole role) {
      PractitionerRole copy = role.copy();
      copier.relativise(copy);
      copy.setId(id);
      copy.setOrganization(new Reference(receiver.getReference()));
      copy.getMeta().setProfile(List.of(new CanonicalType(MedComProfiles.CORE_PRACTITIONER_ROLE)));
      name =
          role.getCodeFirstRep().hasText()
              ? role.getCodeFirstRep().getText()
              : role.getCodeFirstRep().getCodingFirstRep().getCode();
      Narrative.of("Modtager (person)", copy)
          .row("Rolle", name)
          .row("Person", copy.getPractitioner().getReference())
          .row("Organisation", receiver.getReference())
          .applyTo(copy);
      recipient = copy;
    } else {
      return;
    }
    reply.addRecipient(new Reference(recipient.fhirType() + "/" + id));
    narrative.row(
        "Specifik modtager",
        name + " → " + recipient.fhirType() + "/" + id + " (afsender af beskeden der svares på)");
    insertBefore(message, ours, List.of(recipient), copier);
  }

  private static void describeEarlierSegments(
      Narrative narrative, List<CommunicationPayloadComponent> segments, Kind kind) {
    for (CommunicationPayloadComponent segment : segments) {
      String date =
          extension(segment, MedComProfiles.DATETIME_EXTENSION) instanceof DateTimeType d
              ? d.asStringValue()
              : "";
      String author =
          extension(segment, MedComProfiles.PRACTITIONER_EXTENSION) instanceof Reference r
              ? ", forfatter " + r.getReference()
              : "";
      Identifier id = segmentIdentifier(segment);
      String assigner =
          id.hasAssigner() ? " (udstedt af " + id.getAssigner().getReference() + ")" : "";
      String header = id.getValue() + assigner + ", sendt " + date + author;
      if (segment.getContent() instanceof StringType text) {
        narrative.row("Tidligere tekstsegment", header).paragraph("Tekst", text.getValue());
      } else if (segment.getContent() instanceof Attachment a) {
        narrative.row(
            a.hasUrl() ? "Tidligere link" : "Tidligere bilag",
            a.getTitle()
                + (a.hasContentType() ? " (" + a.getContentType() + ")" : "")
                + (a.hasUrl() ? ", " + a.getUrl() : "")
                + ", "
                + header
                + (kind == Kind.REPLY && !a.hasUrl()
                    ? ", uden indhold (findes i tidligere besked)"
                    : ""));
      }
    }
  }

  /**
   * Copies resources out of an earlier message into this one: profile claims without version (the
   * loaded package decides the version), references in the relative {@code Type/id} form.
   */
  private static final class Copier {
    private final String base;
    private final Map<String, String> relative = new LinkedHashMap<>();
    private final Map<String, Resource> byRelative = new HashMap<>();

    Copier(String base, Bundle previous) {
      this.base = base;
      for (Bundle.BundleEntryComponent e : previous.getEntry()) {
        Resource r = e.getResource();
        String rel = r.fhirType() + "/" + r.getIdElement().getIdPart();
        byRelative.put(rel, r);
        if (e.hasFullUrl()) {
          relative.put(e.getFullUrl(), rel);
        }
      }
    }

    Resource copy(Resource r) {
      Resource copy = r.copy();
      relativise(copy);
      List<CanonicalType> profiles =
          copy.getMeta().getProfile().stream()
              .map(p -> new CanonicalType(unversioned(p.getValue())))
              .toList();
      copy.getMeta().setProfile(new ArrayList<>(profiles));
      return copy;
    }

    void relativise(Base element) {
      if (element instanceof Reference ref && ref.hasReference()) {
        String target = relative.get(ref.getReference());
        if (target != null) {
          ref.setReference(target);
        }
      }
      for (Property property : element.children()) {
        for (Base value : property.getValues()) {
          relativise(value);
        }
      }
    }

    Resource resolve(String reference) {
      String rel = relative.getOrDefault(reference, reference);
      return byRelative.get(rel);
    }

    String fullUrl(Resource r) {
      return base + "/" + r.fhirType() + "/" + r.getIdElement().getIdPart();
    }

    private static String unversioned(String canonical) {
      int bar = canonical == null ? -1 : canonical.indexOf('|');
      return bar < 0 ? canonical : canonical.substring(0, bar);
    }
  }

  /** The fullUrl base of the new message (its MessageHeader's fullUrl without Type/id). */
  private static String base(Bundle message) {
    Bundle.BundleEntryComponent first = message.getEntryFirstRep();
    String suffix = "/MessageHeader/" + first.getResource().getIdElement().getIdPart();
    String fullUrl = first.getFullUrl();
    if (fullUrl == null || !fullUrl.endsWith(suffix)) {
      throw new IllegalArgumentException(
          "the new message's MessageHeader has no fullUrl of the form <base>" + suffix);
    }
    return fullUrl.substring(0, fullUrl.length() - suffix.length());
  }

  private static String derivedId(MessageHeader header, String purpose) {
    return UUID.nameUUIDFromBytes(
            (header.getIdPart() + "/" + purpose).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static Object extension(CommunicationPayloadComponent segment, String url) {
    Extension e = segment.getExtensionByUrl(url);
    return e == null ? null : e.getValue();
  }

  private static Identifier segmentIdentifier(CommunicationPayloadComponent segment) {
    return (Identifier) extension(segment, MedComProfiles.IDENTIFIER_EXTENSION);
  }

  private static String segmentId(CommunicationPayloadComponent segment) {
    Identifier id = segmentIdentifier(segment);
    return id == null ? null : id.getValue();
  }

  private static String key(Resource r) {
    return r.fhirType() + "/" + r.getIdElement().getIdPart();
  }

  private static Bundle.BundleEntryComponent entryOf(Bundle bundle, Resource resource) {
    return bundle.getEntry().stream()
        .filter(e -> e.getResource() == resource)
        .findFirst()
        .orElseThrow();
  }

  private static <T extends Resource> T first(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("the message has no " + type.getSimpleName()));
  }
}
