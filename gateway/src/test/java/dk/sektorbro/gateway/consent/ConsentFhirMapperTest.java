package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Revocation;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
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

  /**
   * A Consent whose provision starts after it was given (domain.md §3.2: valid for a period) is in
   * force from that start only; the registry holds a consent in force from when it was given, so
   * importing it as given at {@code dateTime} would permit disclosures before the citizen's consent
   * began. Refused, never widened; a start at or before {@code dateTime} is what the registry
   * holds.
   */
  @Test
  void aProvisionStartingAfterTheConsentWasGiven_isUnimportable() {
    Consent later = mapper.toFhir(consent(null));
    later.getProvision().getPeriod().setStartElement(dateTime(GIVEN.plusDays(14)));
    assertThat(mapper.unimportable(later))
        .containsExactly(
            new ConsentFhirMapper.Unimportable("provision.period.start", "period-start"));

    Consent sameInstantOtherOffset = mapper.toFhir(consent(null));
    sameInstantOtherOffset
        .getProvision()
        .getPeriod()
        .setStartElement(dateTime(GIVEN.withOffsetSameInstant(ZoneOffset.UTC)));
    Consent earlier = mapper.toFhir(consent(null));
    earlier.getProvision().getPeriod().setStartElement(dateTime(GIVEN.minusDays(1)));
    Consent noStart = mapper.toFhir(consent(null));
    noStart.getProvision().getPeriod().setStartElement(null);
    for (Consent fine : List.of(sameInstantOtherOffset, earlier, noStart)) {
      assertThat(mapper.unimportable(fine)).isEmpty();
    }
  }

  /**
   * The registry keys consents by CPR number: a patient identified in another system (a replacement
   * CPR, a local id) whose value happens to look like a CPR number would register the consent for
   * whoever has that CPR number.
   */
  @Test
  void aPatientIdentifiedOtherwiseThanByCpr_isUnimportable() {
    Consent replacement = mapper.toFhir(consent(null));
    replacement.getPatient().getIdentifier().setSystem("urn:oid:1.2.208.176.1.6.1.1");
    assertThat(mapper.unimportable(replacement))
        .containsExactly(new ConsentFhirMapper.Unimportable("patient.identifier", "cpr-system"));
  }

  /**
   * A consent with several purposes is registered with its first (narrower, never wider). A refusal
   * with several purposes registered with its first would refuse less than the citizen did: "not
   * for coordination, nor for treatment" would let treatment disclosures (current treatment, which
   * the citizen may object to) go. Refused; one purpose, or none (every purpose), imports.
   */
  @Test
  void aRefusalWithSeveralPurposes_isUnimportable_aConsentWithSeveral_isNot() {
    ConsentRecord refusal =
        new ConsentRecord(
            "0f8e7c1a-4444-4a7e-9c7e-1b2c3d4e5f60",
            "0503455012",
            ConsentRecord.Type.REFUSAL,
            new Grantor(GrantorType.CITIZEN, null, null),
            List.of(ConsentRecipient.ofKind(RecipientKind.OWN_GP)),
            Set.of(),
            Purpose.CARE_COORDINATION,
            GIVEN,
            null,
            "Karen Holm",
            null,
            ConsentForm.VERBAL,
            NOW,
            null);
    Consent onePurpose = mapper.toFhir(refusal);
    assertThat(mapper.unimportable(onePurpose)).isEmpty();
    Consent twoPurposes = mapper.toFhir(refusal);
    twoPurposes
        .getProvision()
        .addPurpose(new Coding(ConsentProfiles.CS_PURPOSE, Purpose.CURRENT_TREATMENT.code(), null));
    assertThat(mapper.unimportable(twoPurposes))
        .containsExactly(new ConsentFhirMapper.Unimportable("provision.purpose", "one-purpose"));

    Consent consentWithTwo = mapper.toFhir(consent(null));
    consentWithTwo
        .getProvision()
        .addPurpose(new Coding(ConsentProfiles.CS_PURPOSE, Purpose.CURRENT_TREATMENT.code(), null));
    assertThat(mapper.unimportable(consentWithTwo)).isEmpty();
    assertThat(mapper.fromFhir(consentWithTwo).purpose()).isEqualTo("care-coordination");
  }

  private static DateTimeType dateTime(OffsetDateTime t) {
    return new DateTimeType(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t));
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
