package dk.sektorbro.gateway.validation;

import static dk.sektorbro.gateway.support.BundleResources.resolve;
import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.CareCommunicationThreads;
import dk.sektorbro.gateway.medcom.CareCommunicationThreads.Kind;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.medcom.SendScripts;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replies to and forwards of the messages MedCom's send TestScripts start from (the "S-" fixture
 * Bundles of the CareCommunication TestScripts package, as another system sends them: their own
 * fullUrl base, versioned profile claims, specific senders, episodes of care): every reply and
 * forward the gateway builds is valid against the official CareCommunication 5.0.2 chain.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class MedComThreadsConformanceTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String BASE = "https://sektorbro.local/fhir";
  private static final Path PLAIN =
      SampleMessages.validSamples().stream()
          .filter(p -> p.toString().contains("medicin-spoergsmaal"))
          .findFirst()
          .orElseThrow();
  private static final List<String> FIXTURES =
      List.of(
          "Bundle-S-A-new",
          "Bundle-S-B-new",
          "Bundle-S-C-new",
          "Bundle-S-D-new",
          "Bundle-S-E-forward",
          "Bundle-S-Tek-A-new-episodeOfCare",
          "Bundle-S-Tek-B-new-episodeOfCare",
          "Bundle-S-Tek-C-new",
          "Bundle-S-Tek-CPR-1",
          "Bundle-S-Tek-CPR-2",
          "Bundle-S-Tek-CPR-3");

  static Stream<Arguments> fixturesAndKinds() {
    return FIXTURES.stream()
        .flatMap(f -> Stream.of(Arguments.of(f, Kind.REPLY), Arguments.of(f, Kind.FORWARD)));
  }

  @ParameterizedTest(name = "{1} to {0}")
  @MethodSource("fixturesAndKinds")
  void replyOrForwardToAMedComFixture_isValid_withConsistentFullUrlsAndUnversionedProfiles(
      String fixture, Kind kind) {
    Bundle received = SendScripts.fixture(fixture);
    Bundle message =
        CareCommunicationThreads.continueThread(ours(received, kind), List.of(received), kind);

    ValidationReport report =
        MedComChains.get()
            .forType("CareCommunication")
            .validate(FHIR.newJsonParser().encodeResourceToString(message));
    assertThat(report.errors()).as("errors of the %s to %s", kind, fixture).isEmpty();
    Set<String> local = new HashSet<>();
    for (Bundle.BundleEntryComponent e : message.getEntry()) {
      Resource r = e.getResource();
      assertThat(e.getFullUrl()).isEqualTo(BASE + "/" + r.fhirType() + "/" + r.getIdPart());
      assertThat(r.getMeta().getProfile())
          .extracting(CanonicalType::getValue)
          .noneMatch(p -> p.contains("|"));
      local.add(r.fhirType() + "/" + r.getIdPart());
    }
    for (Resource r : resources(message, Resource.class)) {
      if (r instanceof Provenance p && p != ours(message)) {
        continue; // earlier Provenances point at earlier MessageHeaders, which are not in this
        // message
      }
      FHIR.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class).stream()
          .filter(Reference::hasReference)
          .filter(ref -> !ref.getReference().equals(previousHeader(received)))
          .forEach(
              ref ->
                  assertThat(local)
                      .as("reference in %s", r.fhirType())
                      .contains(ref.getReference()));
    }
    Communication c = resources(message, Communication.class).get(0);
    Communication earlier = resources(received, Communication.class).get(0);
    assertThat(c.getPayload()).hasSize(earlier.getPayload().size() + 1);
    assertThat(resources(message, Provenance.class))
        .hasSize(resources(received, Provenance.class).size() + 1);
    assertThat(ours(message).getActivity().getCodingFirstRep().getCode())
        .isEqualTo(kind.activity());
    assertThat(ours(message).getEntity())
        .anyMatch(
            e ->
                e.getRole() == Provenance.ProvenanceEntityRole.REVISION
                    && e.getWhat().getReference().equals(previousHeader(received)));
    String thread = earlier.getIdentifierFirstRep().getValue();
    if (kind == Kind.REPLY) {
      assertThat(c.getIdentifierFirstRep().getValue()).isEqualTo(thread);
      assertThat(attachments(c)).noneMatch(Attachment::hasData); // governance rule 6
    } else {
      assertThat(c.getIdentifierFirstRep().getValue()).isNotEqualTo(thread);
      assertThat(attachments(c)).allMatch(a -> a.hasData() || a.hasUrl());
    }
  }

  @Test
  void replyToAnEpisodeOfCare_returnsTheEpisodeIdAsReceived() {
    Bundle received = SendScripts.fixture("Bundle-S-Tek-A-new-episodeOfCare");
    Identifier episode =
        resources(received, Encounter.class).get(0).getEpisodeOfCareFirstRep().getIdentifier();

    Bundle reply =
        CareCommunicationThreads.continueThread(
            ours(received, Kind.REPLY), List.of(received), Kind.REPLY);

    Encounter encounter = resources(reply, Encounter.class).get(0);
    assertThat(encounter.getEpisodeOfCareFirstRep().getIdentifier().getValue())
        .isEqualTo(episode.getValue());
    assertThat(encounter.getEpisodeOfCareFirstRep().getIdentifier().getSystem())
        .isEqualTo(episode.getSystem());
    Communication c = resources(reply, Communication.class).get(0);
    assertThat(c.getEncounter().getReference()).isEqualTo("Encounter/" + encounter.getIdPart());
  }

  @Test
  void replyToASpecificSender_addressesTheReplyToIt_insideTheReceivingOrganisation() {
    Bundle received = SendScripts.fixture("Bundle-S-A-new");

    Bundle reply =
        CareCommunicationThreads.continueThread(
            ours(received, Kind.REPLY), List.of(received), Kind.REPLY);

    Communication c = resources(reply, Communication.class).get(0);
    CareTeam team =
        resources(reply, CareTeam.class).stream()
            .filter(
                t -> c.getRecipientFirstRep().getReference().equals("CareTeam/" + t.getIdPart()))
            .findFirst()
            .orElseThrow();
    assertThat(team.getName()).isEqualTo("Team +80 år");
    MessageHeader header = (MessageHeader) reply.getEntryFirstRep().getResource();
    assertThat(team.getManagingOrganizationFirstRep().getReference())
        .isEqualTo(header.getDestinationFirstRep().getReceiver().getReference());
  }

  @Test
  void partialForward_passesOnOnlyTheChosenSegments() {
    Bundle received = SendScripts.fixture("Bundle-S-B-new");
    Communication earlier = resources(received, Communication.class).get(0);
    String text = segmentId(earlier.getPayload().get(0));

    Bundle forward =
        CareCommunicationThreads.continueThread(
            ours(received, Kind.FORWARD), List.of(received), Kind.FORWARD, List.of(text));

    assertThat(
            MedComChains.get()
                .forType("CareCommunication")
                .validate(FHIR.newJsonParser().encodeResourceToString(forward))
                .errors())
        .isEmpty();
    Communication c = resources(forward, Communication.class).get(0);
    assertThat(c.getPayload()).hasSize(2);
    assertThat(attachments(c)).isEmpty();
    assertThat(segmentId(c.getPayload().get(0))).isEqualTo(text);
  }

  @Test
  void replyAboutAnotherCitizen_isRefused() {
    Bundle received = SendScripts.fixture("Bundle-S-A-new");
    CanonicalRecord other = SampleMessages.record(PLAIN);

    assertThatThrownBy(
            () ->
                CareCommunicationThreads.continueThread(
                    SampleMessages.bundle(other), List.of(received), Kind.REPLY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another citizen");
  }

  /**
   * The gateway's own new message about the fixture's citizen, to the fixture's sender (reply) or
   * elsewhere.
   */
  static Bundle ours(Bundle received, Kind kind) {
    CanonicalRecord r = SampleMessages.record(PLAIN);
    Patient patient = resources(received, Patient.class).get(0);
    Identifier id = patient.getIdentifierFirstRep();
    CanonicalRecord.Citizen citizen =
        MedComProfiles.CPR_SYSTEM.equals(id.getSystem())
            ? new CanonicalRecord.Citizen(
                id.getValue(),
                patient.getNameFirstRep().getGivenAsSingleString(),
                patient.getNameFirstRep().getFamily())
            : new CanonicalRecord.Citizen(
                null,
                patient.getNameFirstRep().getGivenAsSingleString(),
                patient.getNameFirstRep().getFamily(),
                id.getValue(),
                id.getSystem());
    MessageHeader header = (MessageHeader) received.getEntryFirstRep().getResource();
    Organization from = (Organization) resolve(received, header.getSender().getReference());
    CanonicalRecord.Organisation to =
        kind == Kind.REPLY
            ? new CanonicalRecord.Organisation(
                identifier(from, MedComProfiles.SOR_SYSTEM),
                identifier(from, MedComProfiles.GLN_SYSTEM),
                from.getName())
            : new CanonicalRecord.Organisation(
                "265161000016000", "5790000209354", "Herlev hjerteafdeling");
    return SampleMessages.bundle(r.withCitizen(citizen).withRecipient(to));
  }

  static Provenance ours(Bundle message) {
    String target = "MessageHeader/" + message.getEntryFirstRep().getResource().getIdPart();
    return resources(message, Provenance.class).stream()
        .filter(p -> p.getTargetFirstRep().getReference().equals(target))
        .findFirst()
        .orElseThrow();
  }

  private static String previousHeader(Bundle received) {
    return "MessageHeader/" + received.getEntryFirstRep().getResource().getIdPart();
  }

  private static String identifier(Organization o, String system) {
    return o.getIdentifier().stream()
        .filter(i -> system.equals(i.getSystem()))
        .map(Identifier::getValue)
        .findFirst()
        .orElseThrow();
  }

  private static String segmentId(Communication.CommunicationPayloadComponent payload) {
    return ((Identifier) payload.getExtensionByUrl(MedComProfiles.IDENTIFIER_EXTENSION).getValue())
        .getValue();
  }

  private static List<Attachment> attachments(Communication c) {
    List<Attachment> out = new ArrayList<>();
    c.getPayload().stream()
        .filter(p -> p.getContent() instanceof Attachment)
        .forEach(p -> out.add((Attachment) p.getContent()));
    return out;
  }
}
