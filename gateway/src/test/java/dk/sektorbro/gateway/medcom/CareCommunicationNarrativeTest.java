package dk.sektorbro.gateway.medcom;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Narrative.NarrativeStatus;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MedCom: every resource except the Bundle has a generated narrative with its id, its references
 * and the elements the profiles flag SHALL:in-narrative (checked here for those the validator
 * cannot see, such as endpoints, Encounter status/class and the Provenance entity role).
 */
class CareCommunicationNarrativeTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  static Stream<Path> samples() {
    return SampleMessages.validSamples().stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everyResource_hasANarrativeWithItsIdAndReferences(Path sample) {
    Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));

    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      DomainResource resource = (DomainResource) entry.getResource();
      String div = resource.getText().getDivAsString();
      assertThat(resource.getText().getStatus()).isEqualTo(NarrativeStatus.GENERATED);
      assertThat(div).contains(resource.fhirType() + "/" + resource.getIdPart());
      for (Reference reference :
          FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
        if (reference.hasReference()) {
          assertThat(div)
              .as("%s narrative", resource.fhirType())
              .contains(reference.getReference());
        }
      }
    }
    MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
    assertThat(header.getText().getDivAsString())
        .contains(header.getSource().getEndpoint(), header.getDestinationFirstRep().getEndpoint());
    Provenance provenance = first(bundle, Provenance.class);
    assertThat(provenance.getText().getDivAsString()).contains("source", "new-message");
    // Not every message has an encounter.
    for (Encounter encounter : resources(bundle, Encounter.class).stream().limit(1).toList()) {
      assertThat(encounter.getText().getDivAsString())
          .contains(
              encounter.getStatus().toCode(),
              encounter.getClass_().getCode(),
              encounter.getEpisodeOfCareFirstRep().getIdentifier().getValue());
    }
  }
}
