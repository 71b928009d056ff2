package dk.sektorbro.gateway.validation;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.CareCommunicationThreads;
import dk.sektorbro.gateway.medcom.CareCommunicationThreads.Kind;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reply and forward threads three messages deep: MedCom's thread rules hold and every message is
 * valid.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class ThreadsConformanceTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final Path WITH_ATTACHMENT =
      SampleMessages.validSamples().stream()
          .filter(p -> p.toString().contains("koordinering-med-bilag"))
          .findFirst()
          .orElseThrow();
  private static final Path PLAIN =
      SampleMessages.validSamples().stream()
          .filter(p -> p.toString().contains("medicin-spoergsmaal"))
          .findFirst()
          .orElseThrow();

  @Test
  void newReplyReply_keepsTheThread_repeatsSegments_referencesAttachmentsWithoutData() {
    List<Bundle> thread = new ArrayList<>(List.of(message(WITH_ATTACHMENT)));
    thread.add(CareCommunicationThreads.continueThread(sameCitizen(PLAIN), thread, Kind.REPLY));
    thread.add(CareCommunicationThreads.continueThread(sameCitizen(PLAIN), thread, Kind.REPLY));

    thread.forEach(ThreadsConformanceTest::assertValid);
    Bundle third = thread.get(2);
    assertThat(threadId(third)).isEqualTo(threadId(thread.get(0)));
    assertThat(texts(third)).hasSize(3);
    assertThat(attachments(third))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.hasData()).isFalse();
              assertThat(a.getTitle()).isNotBlank();
            });
    assertProvenanceStack(thread, "new-message", "reply-message", "reply-message");
  }

  @Test
  void newReplyForward_startsANewThread_andCarriesTheAttachmentData() {
    List<Bundle> thread = new ArrayList<>(List.of(message(WITH_ATTACHMENT)));
    thread.add(CareCommunicationThreads.continueThread(sameCitizen(PLAIN), thread, Kind.REPLY));
    thread.add(CareCommunicationThreads.continueThread(sameCitizen(PLAIN), thread, Kind.FORWARD));

    thread.forEach(ThreadsConformanceTest::assertValid);
    Bundle forward = thread.get(2);
    assertThat(threadId(forward)).isNotEqualTo(threadId(thread.get(0)));
    assertThat(texts(forward)).hasSize(3);
    assertThat(attachments(forward))
        .singleElement()
        .satisfies(a -> assertThat(a.hasData()).isTrue());
    assertProvenanceStack(thread, "new-message", "reply-message", "forward-message");
  }

  private static void assertProvenanceStack(List<Bundle> thread, String... activities) {
    Bundle last = thread.get(thread.size() - 1);
    List<Provenance> provenances = resources(last, Provenance.class);
    assertThat(provenances)
        .extracting(p -> p.getActivity().getCodingFirstRep().getCode())
        .containsExactly(activities);
    for (int i = 1; i < thread.size(); i++) {
      Provenance step = resources(thread.get(i), Provenance.class).get(i);
      String previousHeader =
          "MessageHeader/" + resources(thread.get(i - 1), MessageHeader.class).get(0).getIdPart();
      assertThat(step.getTarget().get(0).getReference())
          .isEqualTo(
              "MessageHeader/" + resources(thread.get(i), MessageHeader.class).get(0).getIdPart());
      assertThat(step.getEntity())
          .anyMatch(
              e ->
                  e.getRole() == Provenance.ProvenanceEntityRole.REVISION
                      && e.getWhat().getReference().equals(previousHeader));
    }
  }

  private static void assertValid(Bundle bundle) {
    String json = FHIR.newJsonParser().encodeResourceToString(bundle);
    assertThat(MedComChains.get().forType("CareCommunication").validate(json).errors()).isEmpty();
    // MedCom: the narrative names every reference, the thread's earlier segments included.
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      DomainResource resource = (DomainResource) entry.getResource();
      for (Reference reference :
          FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
        if (reference.hasReference()) {
          assertThat(resource.getText().getDivAsString()).contains(reference.getReference());
        }
      }
    }
    Communication communication = resources(bundle, Communication.class).get(0);
    assertThat(communication.getText().getDivAsString()).contains(threadId(bundle));
  }

  private static Bundle message(Path sample) {
    return SampleMessages.bundle(SampleMessages.record(sample));
  }

  // A thread is about one citizen: the later messages are written about the first one's citizen.
  private static Bundle sameCitizen(Path sample) {
    CanonicalRecord r = SampleMessages.record(sample);
    CanonicalRecord.Citizen citizen = SampleMessages.record(WITH_ATTACHMENT).citizen();
    return SampleMessages.bundle(r.withCitizen(citizen));
  }

  private static String threadId(Bundle bundle) {
    return resources(bundle, Communication.class).get(0).getIdentifierFirstRep().getValue();
  }

  private static List<StringType> texts(Bundle bundle) {
    return resources(bundle, Communication.class).get(0).getPayload().stream()
        .filter(p -> p.getContent() instanceof StringType)
        .map(p -> (StringType) p.getContent())
        .toList();
  }

  private static List<Attachment> attachments(Bundle bundle) {
    return resources(bundle, Communication.class).get(0).getPayload().stream()
        .filter(p -> p.getContent() instanceof Attachment)
        .map(p -> (Attachment) p.getContent())
        .toList();
  }
}
