package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Revocation;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

/** Every registry field survives the way out to a FHIR Consent (as JSON) and back in. */
class ConsentFhirMapperTest {

  static final OffsetDateTime GIVEN = OffsetDateTime.parse("2026-11-20T09:00:00+01:00");
  static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-23T10:00:00+01:00");

  final ConsentFhirMapper mapper = new ConsentFhirMapper();
  final FhirContext fhir = FhirContext.forR4Cached();

  @Test
  void proxyConsentWithEveryField_roundTrips() {
    ConsentRecord original =
        new ConsentRecord(
            "0f8e7c1a-1111-4a7e-9c7e-1b2c3d4e5f60",
            "0503455012",
            ConsentRecord.Type.CONSENT,
            new Grantor(GrantorType.PROXY, "Jens Værge", "guardian, Familieretshuset 2026-123"),
            List.of(
                new ConsentRecipient(
                    RecipientKind.SOCIAL_PSYCHIATRY,
                    "990011000016008",
                    "Nordby Socialpsykiatri",
                    null,
                    "Nordby"),
                // A consent to own GP names the practice (rule own-gp-sor-required).
                new ConsentRecipient(
                    RecipientKind.OWN_GP, "990051000016001", "Lægerne i Nordby", null, null),
                ConsentRecipient.relative("Ida Testesen", "daughter")),
            Set.of(InformationCategory.SOCIAL_CONDITIONS, InformationCategory.ADMISSION_STATUS),
            Purpose.CARE_COORDINATION,
            GIVEN,
            GIVEN.plusMonths(6),
            "Karen Holm",
            "Lise Jensen",
            ConsentForm.WRITTEN,
            NOW,
            new Revocation(NOW.minusHours(1), "Karen Holm", "citizen phoned"));

    ConsentRecord back = roundTrip(original);

    assertThat(back).usingRecursiveComparison().ignoringFields("recordedAt").isEqualTo(original);
  }

  @Test
  void citizenRefusal_roundTrips_asDenyProvisionWithoutEnd() {
    ConsentRecord original =
        new ConsentRecord(
            "0f8e7c1a-2222-4a7e-9c7e-1b2c3d4e5f60",
            "0503455012",
            ConsentRecord.Type.REFUSAL,
            new Grantor(GrantorType.CITIZEN, null, null),
            List.of(ConsentRecipient.ofKind(RecipientKind.OWN_GP)),
            Set.of(),
            null,
            GIVEN,
            null,
            "Karen Holm",
            null,
            ConsentForm.VERBAL,
            NOW,
            null);

    Consent resource = mapper.toFhir(original);
    assertThat(resource.getProvision().getType()).isEqualTo(Consent.ConsentProvisionType.DENY);
    assertThat(resource.getPolicyRule().getCodingFirstRep().getCode()).isEqualTo("OPTOUT");
    assertThat(resource.getMeta().getProfile().get(0).getValue())
        .isEqualTo(ConsentProfiles.CONSENT);
    assertThat(roundTrip(original))
        .usingRecursiveComparison()
        .ignoringFields("recordedAt")
        .isEqualTo(original);
  }

  private ConsentRecord roundTrip(ConsentRecord original) {
    String json = fhir.newJsonParser().encodeResourceToString(mapper.toFhir(original));
    Consent parsed = fhir.newJsonParser().parseResource(Consent.class, json);
    ConsentValidator.Result result =
        new ConsentValidator().validate(mapper.fromFhir(parsed), original.id(), NOW);
    assertThat(result.issues()).isEmpty();
    return result.record();
  }
}
