package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What the plan-consent guard reads from a stored document: the form's "consent to make the plan"
 * as the CarePlan carries it (yes, no, or absent when the form did not say).
 */
class KipConsentGuardTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void yes_isConsented() {
    assertThat(KipConsentGuard.consentToPlan(FHIR, stored("kip-v1.json", json -> json))).isTrue();
  }

  @Test
  void no_isNotConsented() {
    String stored =
        stored(
            "kriseplan.json", json -> json.replaceFirst("\\{", "{\"samtykkeTilPlan\": \"nej\","));

    assertThat(KipConsentGuard.consentToPlan(FHIR, stored)).isFalse();
  }

  @Test
  void notStated_isNull_whichTheGuardDoesNotTakeForConsent() {
    assertThat(KipConsentGuard.consentToPlan(FHIR, stored("kriseplan.json", json -> json)))
        .isNull();
    assertThat(KipConsentGuard.consentToPlan(FHIR, null)).isNull();
  }

  private static String stored(String sample, UnaryOperator<String> edit) {
    return FHIR.newJsonParser()
        .encodeResourceToString(
            SamplePlans.BUILDER.build(SamplePlans.plan(sample, edit), null).bundle());
  }
}
