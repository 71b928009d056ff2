package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Revocation;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
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

  @Test
  void withdrawnOrNotYetGivenConsent_isUnimportable_unlessInactiveWithItsRevocation() {
    for (Consent.ConsentState status :
        List.of(
            Consent.ConsentState.INACTIVE,
            Consent.ConsentState.REJECTED,
            Consent.ConsentState.ENTEREDINERROR,
            Consent.ConsentState.DRAFT,
            Consent.ConsentState.PROPOSED)) {
      Consent withdrawn = mapper.toFhir(consent(null)).setStatus(status);
      assertThat(mapper.unimportable(withdrawn))
          .as("%s", status)
          .containsExactly(new ConsentFhirMapper.Unimportable("status", "importable-status"));
    }
    Consent revoked = mapper.toFhir(consent(new Revocation(NOW.minusHours(1), "Karen Holm", null)));
    assertThat(revoked.getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
    assertThat(mapper.unimportable(revoked)).isEmpty();
    assertThat(mapper.unimportable(mapper.toFhir(consent(null)))).isEmpty();
  }

  @Test
  void provisionType_absent_isReadFromThePolicyRule_andAContradictionIsUnimportable() {
    Consent optOut = mapper.toFhir(consent(null));
    optOut.getProvision().setType(null);
    optOut.getPolicyRule().getCodingFirstRep().setCode("OPTOUT");
    assertThat(mapper.unimportable(optOut)).isEmpty();
    assertThat(mapper.fromFhir(optOut).type()).isEqualTo("refusal");

    Consent neither = mapper.toFhir(consent(null));
    neither.getProvision().setType(null);
    neither.setPolicyRule(null);
    assertThat(mapper.unimportable(neither))
        .containsExactly(new ConsentFhirMapper.Unimportable("provision.type", "permit-or-deny"));

    Consent contradiction = mapper.toFhir(consent(null));
    contradiction.getPolicyRule().getCodingFirstRep().setCode("OPTOUT");
    assertThat(mapper.unimportable(contradiction))
        .containsExactly(
            new ConsentFhirMapper.Unimportable("provision.type", "matches-policy-rule"));
  }

  /**
   * What the registry cannot hold must not be dropped on import: each would leave the consent wider
   * than the citizen gave it.
   */
  @Test
  void restrictionsTheRegistryCannotHold_areUnimportable_notDropped() {
    Consent nested = mapper.toFhir(consent(null));
    nested
        .getProvision()
        .addProvision()
        .setType(Consent.ConsentProvisionType.DENY)
        .addCode(
            new CodeableConcept(
                new Coding(ConsentProfiles.CS_INFORMATION_CATEGORY, "social-conditions", null)));
    assertThat(mapper.unimportable(nested))
        .containsExactly(
            new ConsentFhirMapper.Unimportable("provision.provision", "no-nested-provisions"));

    Consent onlyToCollect = mapper.toFhir(consent(null));
    onlyToCollect
        .getProvision()
        .addAction(
            new CodeableConcept(
                new Coding(
                    "http://terminology.hl7.org/CodeSystem/consentaction", "collect", null)));
    assertThat(mapper.unimportable(onlyToCollect))
        .containsExactly(new ConsentFhirMapper.Unimportable("provision", "no-other-restrictions"));

    Consent custodian = mapper.toFhir(consent(null));
    custodian
        .getProvision()
        .addActor()
        .setRole(new CodeableConcept(new Coding(ConsentProfiles.PARTICIPATION_TYPE, "CST", null)))
        .setReference(new Reference().setDisplay("Region Nord Psykiatrien"));
    assertThat(mapper.unimportable(custodian))
        .containsExactly(
            new ConsentFhirMapper.Unimportable("provision.actor[1].role", "recipient-role"));

    Consent otherCodes = mapper.toFhir(consent(null));
    otherCodes.getProvision().getCodeFirstRep().getCodingFirstRep().setSystem("urn:other:codes");
    otherCodes.getProvision().getPurposeFirstRep().setSystem("urn:other:purposes");
    assertThat(mapper.unimportable(otherCodes))
        .containsExactly(
            new ConsentFhirMapper.Unimportable("provision.code[0]", "code-system"),
            new ConsentFhirMapper.Unimportable("provision.purpose[0]", "code-system"));
  }

  private static ConsentRecord consent(Revocation revocation) {
    return new ConsentRecord(
        "0f8e7c1a-3333-4a7e-9c7e-1b2c3d4e5f60",
        "0503455012",
        ConsentRecord.Type.CONSENT,
        new Grantor(GrantorType.CITIZEN, null, null),
        List.of(ConsentRecipient.organisation("990031000016002", "Afsnit P3")),
        Set.of(InformationCategory.SOCIAL_CONDITIONS),
        Purpose.CARE_COORDINATION,
        GIVEN,
        GIVEN.plusMonths(6),
        "Karen Holm",
        null,
        ConsentForm.WRITTEN,
        NOW,
        revocation);
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
