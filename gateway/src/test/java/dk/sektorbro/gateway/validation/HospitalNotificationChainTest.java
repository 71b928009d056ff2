package dk.sektorbro.gateway.validation;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HospitalNotification 3.0.2 is checked against its own chain, not base FHIR: MedCom's official
 * example is valid, the same notification without the citizen's CPR or with an activity code MedCom
 * does not have is not.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class HospitalNotificationChainTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static Bundle example() {
    List<String> examples =
        MedComChains.get().officialExamples(ChainDefinition.HOSPITAL_NOTIFICATION);
    assertThat(examples).hasSize(12);
    return FHIR.newJsonParser().parseResource(Bundle.class, examples.get(0));
  }

  private static ValidationReport validate(Bundle bundle) {
    return MedComChains.get()
        .forType(ChainDefinition.HOSPITAL_NOTIFICATION)
        .validate(FHIR.newJsonParser().encodeResourceToString(bundle));
  }

  @Test
  void officialExample_isValid() {
    ValidationReport report = validate(example());

    assertThat(report.chain()).contains("hospitalnotification");
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void withoutCpr_isInvalid() {
    Bundle bundle = example();
    resources(bundle, Patient.class).forEach(p -> p.getIdentifier().clear());

    assertThat(validate(bundle).errors()).isNotEmpty();
  }

  @Test
  void unknownActivityCode_isInvalid() {
    Bundle bundle = example();
    resources(bundle, Provenance.class)
        .forEach(p -> p.getActivity().getCodingFirstRep().setCode("no-such-activity"));

    assertThat(validate(bundle).errors()).anyMatch(i -> i.message().contains("no-such-activity"));
  }
}
