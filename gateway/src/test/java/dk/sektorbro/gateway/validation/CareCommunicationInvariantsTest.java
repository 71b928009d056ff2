package dk.sektorbro.gateway.validation;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationResult;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.medcom.SampleMessages;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two invariants CareCommunication fixed after 5.0.2: the gateway's messages meet them, broken
 * ones fail.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class CareCommunicationInvariantsTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final FhirValidator INVARIANTS =
      FHIR.newValidator().registerValidatorModule(new CareCommunicationInvariants());

  static Stream<Path> samples() {
    return SampleMessages.validSamples().stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everySample_meetsThe504Invariants(Path sample) {
    Bundle bundle = SampleMessages.bundle(SampleMessages.record(sample));

    assertThat(errors(bundle)).isEmpty();
    assertThat(first(bundle, MessageHeader.class).getDefinition())
        .matches(MedComProfiles.CC_DEFINITION_5_0_4);
    List<Encounter> encounters = resources(bundle, Encounter.class);
    Communication communication = first(bundle, Communication.class);
    if (encounters.isEmpty()) {
      assertThat(communication.hasEncounter()).isFalse();
    } else {
      assertThat(communication.getEncounter().getReference())
          .isEqualTo("Encounter/" + encounters.get(0).getIdPart());
    }
  }

  @Test
  void somewhereSamplesCarryAnEncounter_soInvariant15IsExercised() {
    assertThat(samples().map(s -> SampleMessages.bundle(SampleMessages.record(s))))
        .anyMatch(b -> !resources(b, Encounter.class).isEmpty())
        .anyMatch(b -> resources(b, Encounter.class).isEmpty());
  }

  @Test
  void definitionWithAnotherMajorVersion_passes502ButFails504() {
    Bundle bundle = withEncounter();
    first(bundle, MessageHeader.class).setDefinition(MedComProfiles.CC_DEFINITION_URL + "|4.0");

    assertThat(errors(bundle)).containsExactly("medcom-carecommunication-definition-url");
    // The published 5.0.2 regex (unescaped "|") lets it through: only the 5.0.4 rule catches it.
    assertThat(MedComChains.get().forType("CareCommunication").validate(json(bundle)).errors())
        .extracting(ValidationReport.Issue::message)
        .isNotEmpty()
        .allMatch(
            m ->
                m.contains("medcom-carecommunication-definition-url")
                    && m.contains("(CareCommunication 5.0.4)"));
  }

  @Test
  void encounterInBundleNotReferenced_fails() {
    Bundle bundle = withEncounter();
    first(bundle, Communication.class).setEncounter(null);

    assertThat(errors(bundle)).containsExactly("medcom-careCommunication-15");
  }

  @Test
  void encounterReferencedButNotInBundle_fails() {
    Bundle bundle = withEncounter();
    bundle.getEntry().removeIf(e -> e.getResource() instanceof Encounter);

    assertThat(errors(bundle)).containsExactly("medcom-careCommunication-15");
  }

  @Test
  void encounterReferencingAnotherEncounter_fails() {
    Bundle bundle = withEncounter();
    first(bundle, Communication.class)
        .setEncounter(new Reference("Encounter/1e3c4b1a-7a55-4b8e-9a55-8f0a6b5e2c10"));

    assertThat(errors(bundle)).containsExactly("medcom-careCommunication-15");
  }

  private static Bundle withEncounter() {
    return samples()
        .map(s -> SampleMessages.bundle(SampleMessages.record(s)))
        .filter(b -> !resources(b, Encounter.class).isEmpty())
        .findFirst()
        .orElseThrow();
  }

  private static List<String> errors(Bundle bundle) {
    ValidationResult result = INVARIANTS.validateWithResult(json(bundle));
    return result.getMessages().stream().map(m -> m.getMessageId()).toList();
  }

  private static String json(Bundle bundle) {
    return FHIR.newJsonParser().encodeResourceToString(bundle);
  }
}
