package dk.sektorbro.gateway.validation;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.ReferenceMessage;
import dk.sektorbro.gateway.medcom.SampleMessages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The three modes on the real CareCommunication chain: fast answers a known template from memory
 * with this message's values, reference always asks HAPI, shadow checks fast answers against HAPI,
 * counts a disagreement and uses HAPI's verdict. A wrong answer is planted in the fast memory to
 * prove that shadow mode catches it.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class ValidationModesTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String TYPE = ChainDefinition.CARE_COMMUNICATION;

  @Test
  void fast_answersASecondMessageOfTheSameShapeFromMemory_andAnInvalidOneFromHapi() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ConformanceMessageValidator validator =
        new ConformanceMessageValidator(
            MedComChains.get(), ConformanceProperties.Mode.FAST, 0, 100, meters);

    assertThat(validator.validate(TYPE, message("Dennis", "0101485555"), "JSON").errors())
        .isEmpty();
    assertThat(validator.validate(TYPE, message("Grete", "2912875118"), "JSON").errors()).isEmpty();
    ValidationReport badCpr = validator.validate(TYPE, message("Grete", "2913875118"), "JSON");

    assertThat(badCpr.errors()).anyMatch(i -> i.message().contains("cpr"));
    assertThat(meters.get("gateway.validation.verdicts").tag("by", "fast").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("gateway.validation.verdicts").tag("by", "reference").counter().count())
        .isEqualTo(2);
  }

  @Test
  void shadow_countsADisagreement_andUsesHapisVerdict() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ConformanceMessageValidator validator =
        new ConformanceMessageValidator(
            MedComChains.get(), ConformanceProperties.Mode.SHADOW, 1.0, 100, meters);
    String message = message("Dennis", "0101485555");
    ValidationReport.Issue planted =
        new ValidationReport.Issue(ValidationReport.Severity.ERROR, "Bundle", "planted", "x");
    validator.fastChain(TYPE).remember(message, List.of(planted));

    ValidationReport report = validator.validate(TYPE, message("Grete", "2912875118"), "JSON");

    assertThat(report.valid()).isTrue();
    assertThat(report.issues())
        .noneMatch(i -> i.message().equals("planted"))
        .anyMatch(i -> ConformanceMessageValidator.DISAGREEMENT_ID.equals(i.messageId()));
    assertThat(meters.get("gateway.validation.disagreements").counter().count()).isEqualTo(1);
    // The template that answered wrongly is not answered from memory again, and not relearnt.
    assertThat(validator.fastChain(TYPE).knows(message)).isFalse();
    validator.validate(TYPE, message("Bodil", "0101485555"), "JSON");
    assertThat(validator.fastChain(TYPE).knows(message)).isFalse();
    assertThat(meters.get("gateway.validation.verdicts").tag("by", "fast").counter().count())
        .isEqualTo(1);
  }

  @Test
  void reference_neverUsesTheMemory() {
    ConformanceMessageValidator validator =
        new ConformanceMessageValidator(
            MedComChains.get(),
            ConformanceProperties.Mode.REFERENCE,
            0,
            100,
            new SimpleMeterRegistry());
    String message = message("Dennis", "0101485555");
    validator
        .fastChain(TYPE)
        .remember(
            message,
            List.of(
                new ValidationReport.Issue(
                    ValidationReport.Severity.ERROR, "Bundle", "planted", "x")));

    assertThat(validator.validate(TYPE, message, "JSON").errors()).isEmpty();
  }

  private static String message(String given, String cpr) {
    Bundle bundle =
        ReferenceMessage.build(
            new CareCommunicationBuilder(SampleMessages.CLOCK, "https://sektorbro.local/fhir"));
    // Fresh ids as every real message has; same shape.
    String json = FHIR.newJsonParser().encodeResourceToString(bundle);
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      json = json.replace(e.getResource().getIdElement().getIdPart(), UUID.randomUUID().toString());
    }
    Bundle renamed = (Bundle) FHIR.newJsonParser().parseResource(json);
    Patient patient = first(renamed, Patient.class);
    String oldCpr = patient.getIdentifierFirstRep().getValue();
    String oldGiven = patient.getNameFirstRep().getGivenAsSingleString();
    return FHIR.newJsonParser()
        .encodeResourceToString(renamed)
        .replace(oldCpr, cpr)
        .replace(oldGiven, given);
  }
}
