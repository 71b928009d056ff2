package dk.sektorbro.gateway.careplan;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Composition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every plan kind's sample becomes a document that is valid against MedComDocument 2.0.2 +
 * profiles/.
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class PlanDocumentConformanceTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  static List<String> samples() {
    return SamplePlans.oneOfEachKind();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sample_isAValidCarePlanDocument_inJsonAndXml(String sample) {
    Bundle bundle = SamplePlans.BUILDER.build(SamplePlans.plan(sample), null).bundle();

    for (String encoded :
        List.of(
            FHIR.newJsonParser().encodeResourceToString(bundle),
            FHIR.newXmlParser().encodeResourceToString(bundle))) {
      ValidationReport report =
          MedComChains.get().forType(ChainDefinition.CARE_PLAN_DOCUMENT).validate(encoded);
      assertThat(report.chain()).contains("document#2.0.2");
      assertThat(report.errors()).as(sample).isEmpty();
    }
  }

  @Test
  void version2_replacesVersion1_byCompositionIdentifier() {
    PlanDocumentBuilder.PlanDocument v1 =
        SamplePlans.BUILDER.build(SamplePlans.plan("kip-v1.json"), null);
    PlanDocumentBuilder.PlanDocument v2 =
        SamplePlans.BUILDER.build(SamplePlans.plan("kip-v2.json"), v1.compositionIdentifier());

    Composition c2 = (Composition) v2.bundle().getEntryFirstRep().getResource();
    assertThat(c2.getRelatesTo())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getCode()).isEqualTo(Composition.DocumentRelationshipType.REPLACES);
              assertThat(r.getTargetIdentifier().getValue()).isEqualTo(v1.compositionIdentifier());
            });
    assertThat(c2.getTitle()).contains("version 2");
    ValidationReport report =
        MedComChains.get()
            .forType(ChainDefinition.CARE_PLAN_DOCUMENT)
            .validate(FHIR.newJsonParser().encodeResourceToString(v2.bundle()));
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void kip_notApprovedByCitizen_isVisibleInTheNarrativeAndAsExtension() {
    Bundle bundle = SamplePlans.BUILDER.build(SamplePlans.plan("kip-v1.json"), null).bundle();

    Composition composition = (Composition) bundle.getEntryFirstRep().getResource();
    assertThat(composition.getText().getDivAsString())
        .contains("Planen er IKKE godkendt af borgeren");
    assertThat(composition.getSectionFirstRep().getText().getDivAsString())
        .contains("IKKE godkendt");
    CarePlan plan = first(bundle, CarePlan.class);
    assertThat(
            plan.getExtensionByUrl(DocumentProfiles.APPROVED_BY_CITIZEN_EXTENSION)
                .getValue()
                .primitiveValue())
        .isEqualTo("false");
    assertThat(
            plan.getExtensionByUrl(DocumentProfiles.CONSENT_TO_PLAN_EXTENSION)
                .getValue()
                .primitiveValue())
        .isEqualTo("true");
  }
}
