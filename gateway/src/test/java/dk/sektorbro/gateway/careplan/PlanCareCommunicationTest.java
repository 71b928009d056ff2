package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.MessageIds;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The record that carries a plan: consent facts derived from the plan, and the CareCommunication
 * built from it (PDF attached) is valid CareCommunication 5.0.2, for every plan kind.
 */
class PlanCareCommunicationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final CareCommunicationBuilder BUILDER =
      new CareCommunicationBuilder(SamplePlans.CLOCK, "https://sektorbro.test/fhir");

  static List<String> samples() {
    return SamplePlans.oneOfEachKind();
  }

  // Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
  @Tag("integration")
  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void carryingCareCommunication_isValid(String sample) {
    CanonicalRecord record = carrier(sample);
    Bundle message =
        BUILDER.build(record, MessageIds.generate(UUID::randomUUID, record.attachments().size()));

    ValidationReport report =
        MedComChains.get()
            .forType(ChainDefinition.CARE_COMMUNICATION)
            .validate(FHIR.newJsonParser().encodeResourceToString(message));

    assertThat(report.chain()).contains("carecommunication#5.0.2");
    assertThat(report.errors()).as(sample).isEmpty();
  }

  @Test
  void kip_needsConsent_evenWhenTheSourceClaimsALegalBasis() {
    Plan plan = SamplePlans.plan("kip-v1.json");
    CanonicalRecord claimed =
        SamplePlans.mapped("kip-v1.json").record().withLegalBasis("psychiatry-act-13c");

    CanonicalRecord carrier = PlanConsent.apply(claimed, plan, List.of());

    assertThat(carrier.legalBasis()).isNull();
    assertThat(carrier.purpose()).isEqualTo("care-coordination");
    assertThat(carrier.informationCategories())
        .containsExactlyInAnyOrder(
            "care-plans", "current-treatment", "substance-misuse", "social-conditions");
  }

  @Test
  void letterText_startsWithTheHeader_andRepeatsTheWarnings() {
    assertThat(carrier("kip-v1.json").text())
        .startsWith(
            "Koordinerende indsatsplan nr. KIP-2026-0007 – version 1 – 18.11.2026\nOBS: Planen er IKKE godkendt af borgeren.")
        .endsWith("Planen er vedlagt som PDF.");
    assertThat(carrier("kriseplan.json").text()).doesNotContain("OBS");
  }

  @Test
  void dischargeAgreementAndCoordinationPlan_carryThePsychiatryActBasis() {
    for (String sample : List.of("udskrivningsaftale.json", "koordinationsplan.json")) {
      CanonicalRecord carrier = carrier(sample);
      assertThat(carrier.legalBasis()).as(sample).isEqualTo("psychiatry-act-13c");
      assertThat(carrier.purpose()).as(sample).isEqualTo("discharge-planning");
    }
  }

  @Test
  void careCoursePlan_disclosesAdmissionAndFunctionalStatus() {
    assertThat(carrier("plejeforloebsplan.json").informationCategories())
        .contains("admission-status", "functional-status", "care-plans");
  }

  @Test
  void coordinationPlan_recordsThatTheCitizenDidNotAgree() {
    assertThat(SamplePlans.plan("koordinationsplan.json").citizenAgreed()).isEqualTo(Plan.YesNo.NO);
  }

  private static CanonicalRecord carrier(String sample) {
    Plan plan = SamplePlans.plan(sample);
    CanonicalRecord record = SamplePlans.mapped(sample).record();
    List<CanonicalRecord.Attachment> attachments = new ArrayList<>(record.attachments());
    attachments.add(
        new CanonicalRecord.Attachment(
            PlanHtml.title(plan) + ".pdf",
            "application/pdf",
            Base64.getEncoder().encodeToString(new PlanPdf().pdf(plan)),
            OffsetDateTime.now(SamplePlans.CLOCK)));
    return PlanConsent.apply(record, plan, attachments);
  }
}
