package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.junit.jupiter.api.Test;

/**
 * The stored document rewritten for one FHIR endpoint: only the Composition's "replaces" changes,
 * everything else is the stored document as it was.
 */
class ReplacesForRecipientTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void anotherPredecessor_replacesTheStoredOne_andNothingElseChanges() {
    String stored = stored("urn:uuid:version-3");

    String posted = ReplacesForRecipient.withReplaces(FHIR, stored, "urn:uuid:version-2");

    assertThat(replaces(posted)).containsExactly("urn:uuid:version-2");
    assertThat(ReplacesForRecipient.withReplaces(FHIR, posted, "urn:uuid:version-3"))
        .isEqualTo(stored);
  }

  @Test
  void noPredecessor_removesReplaces() {
    String posted = ReplacesForRecipient.withReplaces(FHIR, stored("urn:uuid:version-1"), null);

    assertThat(replaces(posted)).isEmpty();
  }

  private static String stored(String replaces) {
    return FHIR.newJsonParser()
        .encodeResourceToString(
            SamplePlans.BUILDER.build(SamplePlans.plan("kip-v2.json"), replaces).bundle());
  }

  private static List<String> replaces(String bundleJson) {
    Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, bundleJson);
    return ((Composition) bundle.getEntryFirstRep().getResource())
        .getRelatesTo().stream()
            .filter(r -> r.getCode() == Composition.DocumentRelationshipType.REPLACES)
            .map(r -> r.getTargetIdentifier().getValue())
            .toList();
  }
}
