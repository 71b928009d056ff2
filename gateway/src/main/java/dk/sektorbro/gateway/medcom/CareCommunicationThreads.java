package dk.sektorbro.gateway.medcom;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Communication.CommunicationPayloadComponent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Replies and forwards (MedCom governance for CareCommunication, rules 3-19). Pure: takes a new
 * message as {@link CareCommunicationBuilder} built it (new text segment, new ids) and the earlier
 * messages of the thread, oldest first, and makes it a continuation of the latest one:
 * <ul>
 *   <li>all earlier segments come first; a reply references earlier attachments without their
 *       data, a forward carries the data (found anywhere in the thread);
 *   <li>a reply keeps the thread id (Communication.identifier), a forward starts a new thread;
 *   <li>all earlier Provenances are kept unchanged and the new one says reply-message or
 *       forward-message with a "revision" entity pointing at the previous MessageHeader;
 *   <li>the authors and organisations of the earlier segments are bundled.
 * </ul>
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
  }

  private CareCommunicationThreads() {}

  public static Bundle continueThread(Bundle message, List<Bundle> thread, Kind kind) {
    if (thread.isEmpty()) {
      throw new IllegalArgumentException("a reply or forward needs the earlier message");
    }
    Bundle previous = thread.get(thread.size() - 1);
    Communication communication = first(message, Communication.class);
    Communication earlier = first(previous, Communication.class);
    if (kind == Kind.REPLY) {
      String ownThread = communication.getIdentifierFirstRep().getValue();
      String thread0 = earlier.getIdentifierFirstRep().getValue();
      communication.setIdentifier(List.of(earlier.getIdentifierFirstRep().copy()));
      communication.getText().setDivAsString(communication.getText().getDivAsString().replace(ownThread, thread0));
    }
    List<CommunicationPayloadComponent> segments = earlierSegments(earlier, thread, kind);
    communication.getPayload().addAll(0, segments);
    bundleParticipants(message, previous);
    Provenance provenance = first(message, Provenance.class);
    continueProvenance(provenance, first(previous, MessageHeader.class), kind);
    List<Bundle.BundleEntryComponent> history = previous.getEntry().stream()
        .filter(e -> e.getResource() instanceof Provenance).map(Bundle.BundleEntryComponent::copy).toList();
    message.getEntry().addAll(message.getEntry().indexOf(entryOf(message, provenance)), history);
    describeEarlierSegments(communication, segments, kind);
    return message;
  }

  private static List<CommunicationPayloadComponent> earlierSegments(
      Communication earlier, List<Bundle> thread, Kind kind) {
    Map<String, Attachment> data = kind == Kind.FORWARD ? attachmentData(thread) : Map.of();
    List<CommunicationPayloadComponent> segments = new ArrayList<>();
    for (CommunicationPayloadComponent payload : earlier.getPayload()) {
      CommunicationPayloadComponent copy = payload.copy();
      if (copy.getContent() instanceof Attachment attachment) {
        if (kind == Kind.REPLY) {
          attachment.setData(null); // rule 6: earlier attachments by identifier, timestamp and title only
        } else if (!attachment.hasData() && !attachment.hasUrl()) {
          Attachment original = data.get(segmentId(copy));
          if (original == null) {
            throw new IllegalArgumentException("a forward must carry every attachment, and one is not in the thread");
          }
          attachment.setDataElement(original.getDataElement().copy());
        }
      }
      segments.add(copy);
    }
    return segments;
  }

  private static Map<String, Attachment> attachmentData(List<Bundle> thread) {
    Map<String, Attachment> data = new HashMap<>();
    for (Bundle bundle : thread) {
      for (CommunicationPayloadComponent payload : first(bundle, Communication.class).getPayload()) {
        if (payload.getContent() instanceof Attachment a && a.hasData()) {
          data.putIfAbsent(segmentId(payload), a);
        }
      }
    }
    return data;
  }

  // The earlier segments' authors, their practitioners and the assigning organisations must be in the bundle.
  private static void bundleParticipants(Bundle message, Bundle previous) {
    Set<String> present = new HashSet<>();
    message.getEntry().forEach(e -> present.add(key(e.getResource())));
    int insertAt = message.getEntry().indexOf(entryOf(message, first(message, Provenance.class)));
    List<Bundle.BundleEntryComponent> added = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : previous.getEntry()) {
      Resource r = entry.getResource();
      boolean participant = r instanceof PractitionerRole || r instanceof Practitioner || r instanceof CareTeam
          || r instanceof Organization;
      if (participant && present.add(key(r))) {
        added.add(entry.copy());
      }
    }
    message.getEntry().addAll(insertAt, added);
  }

  private static void continueProvenance(Provenance provenance, MessageHeader previousHeader, Kind kind) {
    provenance.getActivity().setCoding(List.of(new Coding(MedComCodes.ACTIVITY_SYSTEM, kind.activity, null)));
    provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.REVISION)
        .setWhat(new Reference("MessageHeader/" + previousHeader.getIdPart()));
    String div = provenance.getText().getDivAsString().replace(MedComCodes.ACTIVITY_NEW_MESSAGE, kind.activity);
    provenance.getText().setDivAsString(div);
    Narrative.extend(provenance)
        .row("Forrige besked (rolle revision)", "MessageHeader/" + previousHeader.getIdPart())
        .applyTo(provenance);
  }

  private static void describeEarlierSegments(
      Communication c, List<CommunicationPayloadComponent> segments, Kind kind) {
    Narrative narrative = Narrative.extend(c);
    for (CommunicationPayloadComponent segment : segments) {
      String date = extension(segment, MedComProfiles.DATETIME_EXTENSION) instanceof DateTimeType d
          ? d.asStringValue() : "";
      String author = extension(segment, MedComProfiles.PRACTITIONER_EXTENSION) instanceof Reference r
          ? ", forfatter " + r.getReference() : "";
      Identifier id = segmentIdentifier(segment);
      String header = id.getValue() + " (udstedt af " + id.getAssigner().getReference() + "), sendt " + date + author;
      if (segment.getContent() instanceof StringType text) {
        narrative.row("Tidligere tekstsegment", header).paragraph("Tekst", text.getValue());
      } else if (segment.getContent() instanceof Attachment a) {
        narrative.row("Tidligere bilag", a.getTitle() + " (" + a.getContentType() + "), " + header
            + (kind == Kind.REPLY ? ", uden indhold (findes i tidligere besked)" : ""));
      }
    }
    narrative.applyTo(c);
  }

  private static Object extension(CommunicationPayloadComponent segment, String url) {
    Extension e = segment.getExtensionByUrl(url);
    return e == null ? null : e.getValue();
  }

  private static Identifier segmentIdentifier(CommunicationPayloadComponent segment) {
    return (Identifier) extension(segment, MedComProfiles.IDENTIFIER_EXTENSION);
  }

  private static String segmentId(CommunicationPayloadComponent segment) {
    return segmentIdentifier(segment).getValue();
  }

  private static String key(Resource r) {
    return r.fhirType() + "/" + r.getIdElement().getIdPart();
  }

  private static Bundle.BundleEntryComponent entryOf(Bundle bundle, Resource resource) {
    return bundle.getEntry().stream().filter(e -> e.getResource() == resource).findFirst().orElseThrow();
  }

  private static <T extends Resource> T first(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the message has no " + type.getSimpleName()));
  }
}
