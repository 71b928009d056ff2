package dk.sektorbro.gateway.testscript;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;

/** validateProfileId validates against the script's profile, claimed or not. */
class OfficialValidatorTest {

  private static final String PROFILE =
      "http://medcomfhir.dk/ig/carecommunication/StructureDefinition/medcom-careCommunication-message|5.0.1";

  @Test
  void aMessageThatDoesNotClaimTheProfile_isStillValidatedAgainstIt() {
    Bundle message =
        FhirContext.forR4Cached()
            .newJsonParser()
            .parseResource(
                Bundle.class,
                new TestScriptLibrary(GatewayIntegrationTest.MEDCOM_PACKAGES.getParent())
                    .read(
                        "medcom.fhir.dk.carecommunicationtestscripts-5.0.0.tgz",
                        "example/Bundle-S-A-new-1932711d-49d0-4ad7-b1ee-61de711892d2.json"));
    assertThat(OfficialValidator.validate(PROFILE, message)).isEmpty();

    // No Provenance (medcom-messaging-2) and no meta.profile that would bring the rule in.
    Bundle unclaimed = message.copy();
    unclaimed.getMeta().getProfile().clear();
    unclaimed.getEntry().removeIf(e -> e.getResource() instanceof Provenance);

    assertThat(OfficialValidator.validate(PROFILE, unclaimed))
        .anySatisfy(error -> assertThat(error).contains("medcom-messaging-2"));
  }
}
