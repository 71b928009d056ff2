package dk.sektorbro.gateway.medcom;

import static dk.sektorbro.gateway.medcom.MedComProfiles.*;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.record.CanonicalRecord.Attachment;
import dk.sektorbro.gateway.record.CanonicalRecord.Author;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CareTeam;
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
import org.hl7.fhir.r4.model.StringType;

/**
 * Canonical record to MedCom CareCommunication 5.0 message Bundle. Pure: the ids and the clock come
 * in, the Bundle goes out; no Camel, no I/O. MessageHeader is the first entry, every reference
 * points inside the Bundle, and every resource except the Bundle carries a narrative.
 */
public final class CareCommunicationBuilder {

  private static final TimeZone DANISH_TIME = TimeZone.getTimeZone("Europe/Copenhagen");

  private final Clock clock;
  private final String fullUrlBase;

  public CareCommunicationBuilder(Clock clock, String fullUrlBase) {
    this.clock = clock;
    this.fullUrlBase =
        fullUrlBase.endsWith("/")
            ? fullUrlBase.substring(0, fullUrlBase.length() - 1)
            : fullUrlBase;
  }

  public Bundle build(CanonicalRecord record, MessageIds ids) {
    // Honest times: every sent time is the moment the message is built for sending (after any
    // hold),
    // never the source's own time, which may lie weeks back or in the future (see sentTimeNote).
    Date now = Date.from(clock.instant());

    Organization sender = organization(ids.senderId(), record.sender(), "Afsender");
    Organization recipient = organization(ids.recipientId(), record.recipient(), "Modtager");
    Patient patient = patient(ids.patientId(), record.citizen());
    Practitioner practitioner = practitioner(ids.practitionerId(), record.author());
    PractitionerRole role =
        practitionerRole(ids.practitionerRoleId(), record.author(), practitioner, sender);
    List<Resource> participants = new ArrayList<>(List.of(sender, recipient, practitioner, role));
    CareTeam senderTeam =
        record.senderUnit() == null
            ? null
            : careTeam(derivedId(ids, "sender-unit"), record.senderUnit(), sender, "Afsenderenhed");
    CareTeam recipientTeam =
        record.recipientUnit() == null
            ? null
            : careTeam(
                derivedId(ids, "recipient-unit"),
                record.recipientUnit(),
                recipient,
                "Modtagerenhed");
    if (senderTeam != null) {
      participants.add(senderTeam);
    }
    if (recipientTeam != null) {
      participants.add(recipientTeam);
    }
    // A structured attachment's own author signs its segment; otherwise the author who attached it.
    List<PractitionerRole> attachmentAuthors = new ArrayList<>();
    for (int i = 0; i < record.attachments().size(); i++) {
      Author own = record.attachments().get(i).author();
      if (own == null) {
        attachmentAuthors.add(role);
      } else {
        Practitioner p = practitioner(derivedId(ids, "attachment-author-" + i), own);
        PractitionerRole r =
            practitionerRole(derivedId(ids, "attachment-author-role-" + i), own, p, sender);
        participants.add(p);
        participants.add(r);
        attachmentAuthors.add(r);
      }
    }
    Encounter encounter = record.episodeOfCareId() == null ? null : encounter(ids, record, patient);
    Communication communication =
        communication(
            ids,
            record,
            new Parties(patient, sender, role, senderTeam, recipientTeam, attachmentAuthors),
            encounter,
            now);
    MessageHeader header =
        messageHeader(ids.messageHeaderId(), record, sender, recipient, communication);
    Provenance provenance = provenance(ids, header, sender, now, record.text() != null);

    Bundle bundle = new Bundle();
    bundle.setId(ids.bundleId());
    bundle.getMeta().addProfile(CC_MESSAGE);
    bundle.setType(BundleType.MESSAGE);
    bundle.setTimestampElement(instant(now));
    // MessageHeader first (bdl-12 and MedCom invariant 1); the order of the rest does not matter.
    List<Resource> entries = new ArrayList<>(List.of(header, patient, communication));
    entries.addAll(participants);
    if (encounter != null) {
      entries.add(encounter);
    }
    entries.add(provenance);
    for (Resource resource : entries) {
      bundle.addEntry().setFullUrl(fullUrl(resource)).setResource(resource);
    }
    return bundle;
  }

  /**
   * Why the sent time differs from the source record's own time, for the journal; null when it does
   * not matter. A record dated in the future is sent with the real time and this says so.
   */
  public static String sentTimeNote(CanonicalRecord record, Instant sentAt) {
    if (record.sentAt() == null || !record.sentAt().toInstant().isAfter(sentAt.plusSeconds(300))) {
      return null;
    }
    return "the record's own time "
        + record.sentAt()
        + " lies in the future; the message states the real sent time "
        + dateTime(Date.from(sentAt)).asStringValue();
  }

  /** Who takes part in the Communication: citizen, sending organisation, author, specific units. */
  private record Parties(
      Patient patient,
      Organization sender,
      PractitionerRole author,
      CareTeam senderTeam,
      CareTeam recipientTeam,
      List<PractitionerRole> attachmentAuthors) {}

  private MessageHeader messageHeader(
      String id,
      CanonicalRecord record,
      Organization sender,
      Organization recipient,
      Communication focus) {
    MessageHeader header = new MessageHeader();
    header.setId(id);
    header.getMeta().addProfile(CC_HEADER);
    header.setEvent(
        new Coding(MedComCodes.EVENT_SYSTEM, MedComCodes.EVENT_CARE_COMMUNICATION, null));
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
        .row("Modtagerens brug (destination use)", "Primær modtager (primary)")
        .row("Modtagers endpoint", endpointOf(record.recipient()))
        .row("Fokus", reference(focus))
        .row("Definition", CC_DEFINITION)
        .applyTo(header);
    return header;
  }

  private Communication communication(
      MessageIds ids, CanonicalRecord record, Parties parties, Encounter encounter, Date sentAt) {
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
    // Priority only travels with "regarding-referral" (MedCom invariant 5); the rules enforce it on
    // intake.
    if (record.priority() != null
        && MedComCodes.CATEGORY_REGARDING_REFERRAL.equals(record.category())) {
      c.setPriority(CommunicationPriority.fromCode(record.priority()));
    }
    c.setSubject(ref(parties.patient()));
    if (encounter != null) {
      c.setEncounter(ref(encounter));
    }
    // A more specific sender and recipient (MedCom tec-02), each belonging to the MessageHeader's
    // organisation.
    if (parties.senderTeam() != null) {
      c.addExtension(SENDER_EXTENSION, ref(parties.senderTeam()));
    }
    if (parties.recipientTeam() != null) {
      c.addRecipient(ref(parties.recipientTeam()));
    }
    Organization sender = parties.sender();
    PractitionerRole author = parties.author();
    // A reply or whole-thread forward may add attachments alone (it repeats the earlier text
    // segments).
    if (record.text() != null) {
      CommunicationPayloadComponent text = c.addPayload();
      segmentExtensions(text, ids.textSegmentId(), sentAt, sender);
      signature(text, author, record.author().phone());
      text.setContent(new StringType(record.text()));
    }
    Narrative narrative =
        Narrative.of("Korrespondancemeddelelse", c)
            .row("Tråd-id", "urn:uuid:" + ids.threadId())
            .row("Status", "unknown")
            .row("Kategori", categoryDisplay + " (" + record.category() + ")")
            .row("Emne", record.topic())
            .row("Prioritet", c.hasPriority() ? record.priority() : null)
            .row("Borger", reference(parties.patient()))
            .row("Kontakt", encounter == null ? null : reference(encounter))
            .row(
                "Specifik afsender",
                parties.senderTeam() == null
                    ? null
                    : record.senderUnit() + " → " + reference(parties.senderTeam()))
            .row(
                "Specifik modtager",
                parties.recipientTeam() == null
                    ? null
                    : record.recipientUnit() + " → " + reference(parties.recipientTeam()));
    if (record.text() != null) {
      narrative
          .row(
              "Tekstsegment",
              "urn:uuid:"
                  + ids.textSegmentId()
                  + " (udstedt af "
                  + reference(sender)
                  + "), sendt "
                  + dateTime(sentAt).asStringValue()
                  + ", forfatter "
                  + reference(author)
                  + ", telefon "
                  + record.author().phone())
          .paragraph("Tekst", record.text());
    }
    for (int i = 0; i < record.attachments().size(); i++) {
      Attachment a = record.attachments().get(i);
      String segmentId = ids.attachmentSegmentIds().get(i);
      PractitionerRole attachmentAuthor = parties.attachmentAuthors().get(i);
      String phone = a.author() == null ? record.author().phone() : a.author().phone();
      CommunicationPayloadComponent payload = c.addPayload();
      segmentExtensions(payload, segmentId, sentAt, sender);
      signature(payload, attachmentAuthor, phone);
      org.hl7.fhir.r4.model.Attachment attachment = new org.hl7.fhir.r4.model.Attachment();
      attachment.setContentType(a.contentType());
      attachment.setTitle(withoutSuffix(a.title()));
      if (a.url() != null) {
        attachment.setUrl(a.url()); // a web link: MedCom's link attachment, no data
      } else {
        attachment.setDataElement(new Base64BinaryType(Base64.getMimeDecoder().decode(a.data())));
      }
      if (a.creation() != null) {
        attachment.setCreationElement(dateTime(Date.from(a.creation().toInstant())));
      }
      payload.setContent(attachment);
      narrative.row(
          a.url() != null ? "Link" : "Bilag",
          withoutSuffix(a.title())
              + (a.contentType() == null ? "" : " (" + a.contentType() + ")")
              + (a.url() == null ? "" : ", " + a.url())
              + ", urn:uuid:"
              + segmentId
              + " (udstedt af "
              + reference(sender)
              + "), sendt "
              + dateTime(sentAt).asStringValue()
              + ", forfatter "
              + reference(attachmentAuthor)
              + ", telefon "
              + phone
              + (attachment.hasCreation()
                  ? ", oprettet " + attachment.getCreationElement().asStringValue()
                  : ""));
    }
    narrative.applyTo(c);
    return c;
  }

  // The segment's signature: its author's role and a phone number to reach them.
  private static void signature(
      CommunicationPayloadComponent payload, PractitionerRole author, String phone) {
    payload.addExtension(PRACTITIONER_EXTENSION, ref(author));
    payload.addExtension(
        CONTACT_EXTENSION,
        new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(phone));
  }

  private CareTeam careTeam(String id, String name, Organization organization, String title) {
    CareTeam team = new CareTeam();
    team.setId(id);
    team.getMeta().addProfile(CORE_CARETEAM);
    team.setName(name);
    team.addManagingOrganization(ref(organization));
    Narrative.of(title, team)
        .row("Navn", name)
        .row("Organisation", reference(organization))
        .applyTo(team);
    return team;
  }

  /** Ids of the resources only some messages have: name-based, so a rebuilt message keeps them. */
  private static String derivedId(MessageIds ids, String purpose) {
    return UUID.nameUUIDFromBytes(
            (ids.messageHeaderId() + "/" + purpose).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private static void segmentExtensions(
      CommunicationPayloadComponent payload, String segmentId, Date sentAt, Organization assigner) {
    payload.addExtension(DATETIME_EXTENSION, dateTime(sentAt));
    Identifier identifier =
        new Identifier().setValue("urn:uuid:" + segmentId).setAssigner(ref(assigner));
    payload.addExtension(new Extension(IDENTIFIER_EXTENSION, identifier));
  }

  private Patient patient(String id, CanonicalRecord.Citizen citizen) {
    Patient p = new Patient();
    p.setId(id);
    p.getMeta().addProfile(CORE_PATIENT);
    boolean replacement = citizen.cpr() == null;
    if (replacement) {
      // A citizen without a CPR number: the replacement CPR under its issuer's system (use temp).
      p.addIdentifier()
          .setUse(Identifier.IdentifierUse.TEMP)
          .setSystem(citizen.replacementCprSystem())
          .setValue(citizen.replacementCpr());
    } else {
      p.addIdentifier()
          .setUse(Identifier.IdentifierUse.OFFICIAL)
          .setSystem(CPR_SYSTEM)
          .setValue(citizen.cpr());
    }
    HumanName name = p.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(citizen.familyName());
    if (citizen.givenName() != null) {
      for (String given : citizen.givenName().split("\\s+")) {
        name.addGiven(given);
      }
    }
    Narrative.of("Borger", p)
        .row("Navn", name.getNameAsSingleString())
        .row("CPR-nummer", citizen.cpr())
        .row(
            "Erstatnings-CPR",
            replacement
                ? citizen.replacementCpr() + " (" + citizen.replacementCprSystem() + ")"
                : null)
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
    // The episode-of-care id is returned as received (MedCom: plain UUID, system = issuer's SOR
    // endpoint).
    return episodeEncounter(
        ids.encounterId(), endpointOf(record.recipient()), record.episodeOfCareId(), patient);
  }

  /** An Encounter that carries only the episode-of-care identifier MedCom asks to be returned. */
  static Encounter episodeEncounter(String id, String system, String value, Patient patient) {
    Encounter e = new Encounter();
    e.setId(id);
    e.getMeta().addProfile(CORE_ENCOUNTER);
    e.setStatus(Encounter.EncounterStatus.UNKNOWN);
    e.setClass_(
        new Coding(
            "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-core-encounter-act-codes",
            "other",
            null));
    e.setSubject(ref(patient));
    e.addEpisodeOfCare().setIdentifier(new Identifier().setSystem(system).setValue(value));
    Narrative.of("Kontakt", e)
        .row("Status", e.getStatus().toCode())
        .row("Klasse", e.getClass_().getCode())
        .row("Forløbs-id", value + (system == null ? "" : " (" + system + ")"))
        .row("Borger", reference(patient))
        .applyTo(e);
    return e;
  }

  private Provenance provenance(
      MessageIds ids, MessageHeader header, Organization sender, Date now, boolean textAdded) {
    Provenance p = new Provenance();
    p.setId(ids.provenanceId());
    p.getMeta().addProfile(CC_PROVENANCE);
    p.addTarget(ref(header));
    // MedCom: occurredDateTime and recorded are both the time of sending.
    p.setOccurred(dateTime(now));
    p.setRecordedElement(instant(now));
    p.getActivity()
        .addCoding(new Coding(MedComCodes.ACTIVITY_SYSTEM, MedComCodes.ACTIVITY_NEW_MESSAGE, null));
    p.addAgent().setWho(ref(sender));
    // One "source" entity per payload added by this message (text segment and attachments).
    List<String> added = new ArrayList<>();
    if (textAdded) {
      added.add(ids.textSegmentId());
    }
    added.addAll(ids.attachmentSegmentIds());
    for (String segment : added) {
      p.addEntity()
          .setRole(Provenance.ProvenanceEntityRole.SOURCE)
          .getWhat()
          .setIdentifier(new Identifier().setValue("urn:uuid:" + segment));
    }
    describeProvenance(p, MedComCodes.ACTIVITY_NEW_MESSAGE);
    return p;
  }

  /**
   * The Provenance's narrative from its elements, times in Danish local time. Called again when a
   * resend renews the times or a reply changes the activity, so the narrative never goes stale.
   */
  public static void describeProvenance(Provenance p, String activity) {
    Narrative narrative =
        Narrative.of("Historik (proveniens)", p)
            .row("Mål", p.getTargetFirstRep().getReference())
            .row("Aktivitet", activity)
            .row("Tidspunkt", dateTime(p.getOccurredDateTimeType().getValue()).asStringValue())
            .row("Registreret", instant(p.getRecorded()).asStringValue())
            .row("Aktør", p.getAgentFirstRep().getWho().getReference());
    List<String> added = new ArrayList<>();
    for (Provenance.ProvenanceEntityComponent e : p.getEntity()) {
      if (e.getRole() == Provenance.ProvenanceEntityRole.SOURCE) {
        added.add(e.getWhat().getIdentifier().getValue());
      }
    }
    narrative.row("Nye segmenter (rolle source)", String.join(", ", added));
    for (Provenance.ProvenanceEntityComponent e : p.getEntity()) {
      if (e.getRole() == Provenance.ProvenanceEntityRole.REVISION) {
        narrative.row("Forrige besked (rolle revision)", e.getWhat().getReference());
      }
    }
    narrative.applyTo(p);
  }

  /**
   * A resend (MedCom MR7): new sent times on this message's own Provenance, narrative regenerated.
   */
  public static void renewSentTime(Provenance p, Date now) {
    p.setOccurred(dateTime(now));
    p.setRecordedElement(instant(now));
    describeProvenance(p, p.getActivity().getCodingFirstRep().getCode());
  }

  private String fullUrl(Resource resource) {
    return fullUrlBase + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  static Reference ref(Resource resource) {
    return new Reference(reference(resource));
  }

  static String reference(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  private static String endpointOf(Organisation org) {
    return org.sor() == null ? "http://medcomfhir.dk/unknown" : sorEndpoint(org.sor());
  }

  private static String describe(Organisation org) {
    return (org.name() == null ? "" : org.name() + ", ")
        + "SOR "
        + org.sor()
        + ", EAN "
        + org.gln();
  }

  /** MedCom: attachment titles carry no file-name suffix. */
  static String withoutSuffix(String title) {
    return title.replaceFirst("(?i)\\.(pdf|png|jpe?g|gif|tiff?|bmp)$", "");
  }

  static DateTimeType dateTime(Date date) {
    return new DateTimeType(date, TemporalPrecisionEnum.SECOND, DANISH_TIME);
  }

  static InstantType instant(Date date) {
    return new InstantType(date, TemporalPrecisionEnum.SECOND, DANISH_TIME);
  }
}
