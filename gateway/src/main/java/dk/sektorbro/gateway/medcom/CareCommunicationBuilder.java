package dk.sektorbro.gateway.medcom;

import static dk.sektorbro.gateway.medcom.MedComProfiles.*;

import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.record.CanonicalRecord.Attachment;
import dk.sektorbro.gateway.record.CanonicalRecord.Author;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Communication.CommunicationPayloadComponent;
import org.hl7.fhir.r4.model.Communication.CommunicationPriority;
import org.hl7.fhir.r4.model.Communication.CommunicationStatus;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * Canonical record to MedCom CareCommunication 5.0 message Bundle. Pure: the ids and the clock
 * come in, the Bundle goes out; no Camel, no I/O. MessageHeader is the first entry, every
 * reference points inside the Bundle, and every resource except the Bundle carries a narrative.
 */
public final class CareCommunicationBuilder {

  private static final TimeZone DANISH_TIME = TimeZone.getTimeZone("Europe/Copenhagen");

  private final Clock clock;
  private final String fullUrlBase;

  public CareCommunicationBuilder(Clock clock, String fullUrlBase) {
    this.clock = clock;
    this.fullUrlBase = fullUrlBase.endsWith("/") ? fullUrlBase.substring(0, fullUrlBase.length() - 1) : fullUrlBase;
  }

  public Bundle build(CanonicalRecord record, MessageIds ids) {
    Date now = Date.from(clock.instant());
    Date sentAt = record.sentAt() == null ? now : Date.from(record.sentAt().toInstant());

    Organization sender = organization(ids.senderId(), record.sender(), "Afsender");
    Organization recipient = organization(ids.recipientId(), record.recipient(), "Modtager");
    Patient patient = patient(ids.patientId(), record.citizen());
    Practitioner practitioner = practitioner(ids.practitionerId(), record.author());
    PractitionerRole role = practitionerRole(ids.practitionerRoleId(), record.author(), practitioner, sender);
    Encounter encounter = record.episodeOfCareId() == null ? null : encounter(ids, record, patient);
    Communication communication =
        communication(ids, record, patient, sender, role, encounter, sentAt);
    MessageHeader header = messageHeader(ids.messageHeaderId(), record, sender, recipient, communication);
    Provenance provenance = provenance(ids, header, sender, sentAt, now);

    Bundle bundle = new Bundle();
    bundle.setId(ids.bundleId());
    bundle.getMeta().addProfile(CC_MESSAGE);
    bundle.setType(BundleType.MESSAGE);
    bundle.setTimestampElement(instant(now));
    // MessageHeader first (bdl-12 and MedCom invariant 1); the order of the rest does not matter.
    List<Resource> entries = new ArrayList<>(List.of(header, patient, communication, sender, recipient, practitioner, role));
    if (encounter != null) {
      entries.add(encounter);
    }
    entries.add(provenance);
    for (Resource resource : entries) {
      bundle.addEntry().setFullUrl(fullUrl(resource)).setResource(resource);
    }
    return bundle;
  }

  private MessageHeader messageHeader(
      String id, CanonicalRecord record, Organization sender, Organization recipient, Communication focus) {
    MessageHeader header = new MessageHeader();
    header.setId(id);
    header.getMeta().addProfile(CC_HEADER);
    header.setEvent(new Coding(MedComCodes.EVENT_SYSTEM, MedComCodes.EVENT_CARE_COMMUNICATION, null));
    MessageHeader.MessageDestinationComponent destination = header.addDestination();
    destination.addExtension(
        DESTINATION_USE_EXTENSION, new Coding(MedComCodes.DESTINATION_USE_SYSTEM, "primary", null));
    destination.setEndpoint(endpointOf(record.recipient()));
    destination.setReceiver(ref(recipient));
    header.setSender(ref(sender));
    header.getSource().setEndpoint(endpointOf(record.sender()));
    header.addFocus(ref(focus));
    header.setDefinition(CC_DEFINITION);
    Narrative.of("Korrespondancemeddelelse (brevhoved)", header)
        .row("Hændelse", MedComCodes.EVENT_CARE_COMMUNICATION)
        .row("Afsender", describe(record.sender()) + " → " + reference(sender))
        .row("Afsenders endpoint (source)", endpointOf(record.sender()))
        .row("Modtager (primær)", describe(record.recipient()) + " → " + reference(recipient))
        .row("Modtagers endpoint", endpointOf(record.recipient()))
        .row("Fokus", reference(focus))
        .row("Definition", CC_DEFINITION)
        .applyTo(header);
    return header;
  }

  private Communication communication(
      MessageIds ids, CanonicalRecord record, Patient patient, Organization sender,
      PractitionerRole author, Encounter encounter, Date sentAt) {
    Communication c = new Communication();
    c.setId(ids.communicationId());
    c.getMeta().addProfile(CC_COMMUNICATION);
    c.addIdentifier().setValue("urn:uuid:" + ids.threadId());
    c.setStatus(CommunicationStatus.UNKNOWN);
    String categoryDisplay = MedComCodes.CATEGORIES.get(record.category());
    c.addCategory().addCoding(new Coding(MedComCodes.CATEGORY_SYSTEM, record.category(), null));
    if (record.topic() != null) {
      c.getTopic().setText(record.topic());
    }
    // Priority only travels with "regarding-referral" (MedCom invariant 5); the rules enforce it on intake.
    if (record.priority() != null && MedComCodes.CATEGORY_REGARDING_REFERRAL.equals(record.category())) {
      c.setPriority(CommunicationPriority.fromCode(record.priority()));
    }
    c.setSubject(ref(patient));
    if (encounter != null) {
      c.setEncounter(ref(encounter));
    }
    CommunicationPayloadComponent text = c.addPayload();
    segmentExtensions(text, ids.textSegmentId(), sentAt, sender);
    text.addExtension(PRACTITIONER_EXTENSION, ref(author));
    text.addExtension(CONTACT_EXTENSION,
        new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(record.author().phone()));
    text.setContent(new org.hl7.fhir.r4.model.StringType(record.text()));
    Narrative narrative = Narrative.of("Korrespondancemeddelelse", c)
        .row("Tråd-id", "urn:uuid:" + ids.threadId())
        .row("Status", "unknown")
        .row("Kategori", categoryDisplay + " (" + record.category() + ")")
        .row("Emne", record.topic())
        .row("Prioritet", c.hasPriority() ? record.priority() : null)
        .row("Borger", reference(patient))
        .row("Kontakt", encounter == null ? null : reference(encounter))
        .row("Tekstsegment", "urn:uuid:" + ids.textSegmentId() + " (udstedt af " + reference(sender) + "), sendt "
            + dateTime(sentAt).asStringValue() + ", forfatter " + reference(author)
            + ", telefon " + record.author().phone())
        .paragraph("Tekst", record.text());
    for (int i = 0; i < record.attachments().size(); i++) {
      Attachment a = record.attachments().get(i);
      CommunicationPayloadComponent payload = c.addPayload();
      segmentExtensions(payload, ids.attachmentSegmentIds().get(i), sentAt, sender);
      org.hl7.fhir.r4.model.Attachment attachment = new org.hl7.fhir.r4.model.Attachment();
      attachment.setContentType(a.contentType());
      attachment.setTitle(withoutSuffix(a.title()));
      attachment.setDataElement(new org.hl7.fhir.r4.model.Base64BinaryType(
          Base64.getMimeDecoder().decode(a.data())));
      if (a.creation() != null) {
        attachment.setCreationElement(dateTime(Date.from(a.creation().toInstant())));
      }
      payload.setContent(attachment);
      narrative.row("Bilag", withoutSuffix(a.title()) + " (" + a.contentType() + "), urn:uuid:"
          + ids.attachmentSegmentIds().get(i) + " (udstedt af " + reference(sender) + "), sendt "
          + dateTime(sentAt).asStringValue()
          + (attachment.hasCreation() ? ", oprettet " + attachment.getCreationElement().asStringValue() : ""));
    }
    narrative.applyTo(c);
    return c;
  }

  private static void segmentExtensions(
      CommunicationPayloadComponent payload, String segmentId, Date sentAt, Organization assigner) {
    payload.addExtension(DATETIME_EXTENSION, dateTime(sentAt));
    Identifier identifier = new Identifier().setValue("urn:uuid:" + segmentId).setAssigner(ref(assigner));
    payload.addExtension(new Extension(IDENTIFIER_EXTENSION, identifier));
  }

  private Patient patient(String id, CanonicalRecord.Citizen citizen) {
    Patient p = new Patient();
    p.setId(id);
    p.getMeta().addProfile(CORE_PATIENT);
    p.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(CPR_SYSTEM).setValue(citizen.cpr());
    HumanName name = p.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(citizen.familyName());
    if (citizen.givenName() != null) {
      for (String given : citizen.givenName().split("\\s+")) {
        name.addGiven(given);
      }
    }
    Narrative.of("Borger", p)
        .row("Navn", name.getNameAsSingleString())
        .row("CPR-nummer", citizen.cpr())
        .applyTo(p);
    return p;
  }

  private Organization organization(String id, Organisation org, String title) {
    Organization o = new Organization();
    o.setId(id);
    o.getMeta().addProfile(MESSAGING_ORGANIZATION);
    o.addIdentifier().setSystem(SOR_SYSTEM).setValue(org.sor());
    o.addIdentifier().setSystem(GLN_SYSTEM).setValue(org.gln());
    if (org.name() != null) {
      o.setName(org.name());
    }
    Narrative.of(title, o)
        .row("Navn", org.name())
        .row("SOR-kode", org.sor())
        .row("Lokationsnummer (EAN/GLN)", org.gln())
        .applyTo(o);
    return o;
  }

  private Practitioner practitioner(String id, Author author) {
    Practitioner p = new Practitioner();
    p.setId(id);
    p.getMeta().addProfile(CORE_PRACTITIONER);
    HumanName name = p.addName().setFamily(author.familyName());
    if (author.givenName() != null) {
      name.addGiven(author.givenName());
    }
    Narrative.of("Forfatter", p).row("Navn", name.getNameAsSingleString()).applyTo(p);
    return p;
  }

  private PractitionerRole practitionerRole(
      String id, Author author, Practitioner practitioner, Organization organization) {
    PractitionerRole role = new PractitionerRole();
    role.setId(id);
    role.getMeta().addProfile(CORE_PRACTITIONER_ROLE);
    role.setPractitioner(ref(practitioner));
    role.setOrganization(ref(organization));
    // A MedCom role code where the source gave one, else the role as text (coding xor text).
    String roleName = author.role() == null ? "Medarbejder" : author.role();
    String display = MedComCodes.ROLES.get(roleName);
    CodeableConcept code = role.addCode();
    if (display != null) {
      code.addCoding(new Coding(MedComCodes.ROLE_SYSTEM, roleName, null));
    } else {
      code.setText(roleName);
    }
    Narrative.of("Forfatterens rolle", role)
        .row("Rolle", display != null ? display + " (" + roleName + ")" : roleName)
        .row("Person", reference(practitioner))
        .row("Organisation", reference(organization))
        .applyTo(role);
    return role;
  }

  private Encounter encounter(MessageIds ids, CanonicalRecord record, Patient patient) {
    Encounter e = new Encounter();
    e.setId(ids.encounterId());
    e.getMeta().addProfile(CORE_ENCOUNTER);
    e.setStatus(Encounter.EncounterStatus.UNKNOWN);
    e.setClass_(new Coding("http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-encounter-act-codes", "other", null));
    e.setSubject(ref(patient));
    // The episode-of-care id is returned as received (MedCom: plain UUID, system = issuer's SOR endpoint).
    e.addEpisodeOfCare().setIdentifier(new Identifier()
        .setSystem(endpointOf(record.recipient()))
        .setValue(record.episodeOfCareId()));
    Narrative.of("Kontakt", e)
        .row("Status", e.getStatus().toCode())
        .row("Klasse", e.getClass_().getCode())
        .row("Forløbs-id", record.episodeOfCareId()
            + " (" + e.getEpisodeOfCareFirstRep().getIdentifier().getSystem() + ")")
        .row("Borger", reference(patient))
        .applyTo(e);
    return e;
  }

  private Provenance provenance(MessageIds ids, MessageHeader header, Organization sender, Date sentAt, Date now) {
    Provenance p = new Provenance();
    p.setId(ids.provenanceId());
    p.getMeta().addProfile(CC_PROVENANCE);
    p.addTarget(ref(header));
    p.setOccurred(dateTime(sentAt));
    p.setRecordedElement(instant(now));
    p.getActivity().addCoding(new Coding(MedComCodes.ACTIVITY_SYSTEM, MedComCodes.ACTIVITY_NEW_MESSAGE, null));
    p.addAgent().setWho(ref(sender));
    // One "source" entity per payload added by this message (text segment and attachments).
    List<String> added = new ArrayList<>();
    added.add(ids.textSegmentId());
    added.addAll(ids.attachmentSegmentIds());
    for (String segment : added) {
      p.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
          .getWhat().setIdentifier(new Identifier().setValue("urn:uuid:" + segment));
    }
    Narrative.of("Historik (proveniens)", p)
        .row("Mål", reference(header))
        .row("Aktivitet", MedComCodes.ACTIVITY_NEW_MESSAGE)
        .row("Tidspunkt", dateTime(sentAt).asStringValue())
        .row("Registreret", instant(now).asStringValue())
        .row("Aktør", reference(sender))
        .row("Nye segmenter (rolle source)", String.join(", ", added.stream().map(s -> "urn:uuid:" + s).toList()))
        .applyTo(p);
    return p;
  }

  private String fullUrl(Resource resource) {
    return fullUrlBase + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  private static Reference ref(Resource resource) {
    return new Reference(reference(resource));
  }

  private static String reference(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  private static String endpointOf(Organisation org) {
    return org.sor() == null ? "http://medcomfhir.dk/unknown" : sorEndpoint(org.sor());
  }

  private static String describe(Organisation org) {
    return (org.name() == null ? "" : org.name() + ", ") + "SOR " + org.sor() + ", EAN " + org.gln();
  }

  /** MedCom: attachment titles carry no file-name suffix. */
  static String withoutSuffix(String title) {
    return title.replaceFirst("(?i)\\.(pdf|png|jpe?g|gif|tiff?|bmp)$", "");
  }

  private static DateTimeType dateTime(Date date) {
    return new DateTimeType(date, TemporalPrecisionEnum.SECOND, DANISH_TIME);
  }

  private static InstantType instant(Date date) {
    return new InstantType(date, TemporalPrecisionEnum.SECOND, DANISH_TIME);
  }
}
