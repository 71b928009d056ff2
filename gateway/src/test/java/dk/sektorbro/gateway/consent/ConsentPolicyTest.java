package dk.sektorbro.gateway.consent;

import static dk.sektorbro.gateway.consent.PolicyDecision.Outcome.DENY;
import static dk.sektorbro.gateway.consent.PolicyDecision.Outcome.HOLD;
import static dk.sektorbro.gateway.consent.PolicyDecision.Outcome.PERMIT;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Revocation;
import dk.sektorbro.gateway.consent.ConsentRecord.Type;
import dk.sektorbro.gateway.consent.PolicyDecision.Outcome;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision table of domain.md §3, one row per case; plain Java, no Spring, no Camel. */
class ConsentPolicyTest {

  static final String CITIZEN = "0503455012";
  static final String OTHER_CITIZEN = "2208496234";
  static final String WARD_P3 = "990031000016002";
  static final String WARD_P4_SAME_HOSPITAL = "990031000016012";
  static final String GP = "990051000016007";
  static final String SOCIAL_PSYCHIATRY = "990011000016008";
  static final String OTHER_GP = "990201000016000";
  static final String HOSPITAL_PSYCHIATRY = "990121000016000";
  static final String CLOSED_P1 = "990131000016003";
  static final OffsetDateTime GIVEN = OffsetDateTime.parse("2026-01-10T10:00:00+01:00");
  static final OffsetDateTime NOW = GIVEN.plusMonths(3);

  static final ConsentPolicy POLICY = new ConsentPolicy(DefaultLegalBases.rules());

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decide(
      String name,
      Disclosure disclosure,
      List<ConsentRecord> consents,
      OffsetDateTime at,
      Outcome outcome,
      String basis,
      String consentId) {
    PolicyDecision decision = POLICY.decide(disclosure, consents, at);
    assertThat(decision.outcome()).as("outcome; %s", decision).isEqualTo(outcome);
    assertThat(decision.basis()).as("basis; %s", decision).isEqualTo(basis);
    assertThat(decision.consentId()).as("consent id; %s", decision).isEqualTo(consentId);
  }

  static Stream<Arguments> table() {
    ConsentRecord p3 =
        consent(
            "c-p3", WARD_P3, Purpose.CARE_COORDINATION, "social-conditions", "current-treatment");
    return Stream.of(
        // Consent coverage: recipient, categories, purpose
        row(
            "consent covers recipient, categories and purpose",
            toWard(),
            List.of(p3),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "message categories a subset of the consent's",
            toWard("social-conditions"),
            List.of(p3),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "message categories a superset of the consent's",
            toWard("social-conditions", "current-treatment", "medication"),
            List.of(p3),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "purpose not the consent's",
            toWard().withPurpose("current-treatment"),
            List.of(p3),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "other unit of the same hospital",
            toWard().withSor(WARD_P4_SAME_HOSPITAL),
            List.of(p3),
            NOW,
            HOLD,
            "no-basis",
            null),
        row("no consents at all", toWard(), List.of(), NOW, HOLD, "no-basis", null),
        row(
            "consent for another citizen",
            toWard(),
            List.of(withCitizen(p3, OTHER_CITIZEN)),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "second consent covers where the first does not",
            toWard("medication"),
            List.of(p3, consent("c-med", WARD_P3, Purpose.CARE_COORDINATION, "medication")),
            NOW,
            PERMIT,
            "consent",
            "c-med"),
        row(
            "kind with SOR (social psychiatry of a municipality) matches that SOR",
            D.to(SOCIAL_PSYCHIATRY, null, null).withCategories("social-conditions"),
            List.of(
                consent(
                    "c-sp",
                    new ConsentRecipient(
                        RecipientKind.SOCIAL_PSYCHIATRY, SOCIAL_PSYCHIATRY, null, null, "Nordby"),
                    Purpose.CARE_COORDINATION,
                    "social-conditions")),
            NOW,
            PERMIT,
            "consent",
            "c-sp"),
        row(
            "own GP without the practice's SOR covers no practice",
            toGp(RecipientKind.OWN_GP).withPurpose("care-coordination"),
            List.of(
                consent(
                    "c-gp",
                    ConsentRecipient.ofKind(RecipientKind.OWN_GP),
                    Purpose.CARE_COORDINATION,
                    "medication",
                    "observations")),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "own GP with the practice's SOR",
            toGp(RecipientKind.OWN_GP).withPurpose("care-coordination"),
            List.of(
                consent(
                    "c-gp",
                    new ConsentRecipient(RecipientKind.OWN_GP, GP, null, null, null),
                    Purpose.CARE_COORDINATION,
                    "medication",
                    "observations")),
            NOW,
            PERMIT,
            "consent",
            "c-gp"),
        row(
            "own GP consent names another practice",
            toGp(RecipientKind.OWN_GP).withPurpose("care-coordination").withSor(OTHER_GP),
            List.of(
                consent(
                    "c-gp",
                    new ConsentRecipient(RecipientKind.OWN_GP, GP, null, null, null),
                    Purpose.CARE_COORDINATION,
                    "medication",
                    "observations")),
            NOW,
            HOLD,
            "no-basis",
            null),
        // Organisations: a consent to a hospital covers its wards, a consent to a closed unit its
        // successor
        row(
            "consent to the hospital covers a ward below it",
            toWard().coveredBy(HOSPITAL_PSYCHIATRY, "below"),
            List.of(
                consent(
                    "c-h",
                    HOSPITAL_PSYCHIATRY,
                    Purpose.CARE_COORDINATION,
                    "social-conditions",
                    "current-treatment")),
            NOW,
            PERMIT,
            "consent",
            "c-h"),
        row(
            "consent to a ward does not cover the hospital above it",
            toWard().withSor(HOSPITAL_PSYCHIATRY),
            List.of(
                consent(
                    "c-p3",
                    WARD_P3,
                    Purpose.CARE_COORDINATION,
                    "social-conditions",
                    "current-treatment")),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "consent to a closed ward covers its successor",
            toWard().coveredBy(CLOSED_P1, "succeeded"),
            List.of(
                consent(
                    "c-p1",
                    CLOSED_P1,
                    Purpose.CARE_COORDINATION,
                    "social-conditions",
                    "current-treatment")),
            NOW,
            PERMIT,
            "consent",
            "c-p1"),
        row(
            "consent to a closed ward does not pass to a successor of another owner",
            toWard().notCoveredBy(CLOSED_P1, "succeeded by a unit of another owner"),
            List.of(
                consent(
                    "c-p1",
                    CLOSED_P1,
                    Purpose.CARE_COORDINATION,
                    "social-conditions",
                    "current-treatment")),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "refusal naming a closed ward stops its successor, also of another owner",
            toWard("medication")
                .withKind(RecipientKind.HOSPITAL)
                .withPurpose("current-treatment")
                .withBasis("current-treatment")
                .notCoveredBy(CLOSED_P1, "succeeded by a unit of another owner"),
            List.of(refusal("r-p1", ConsentRecipient.organisation(CLOSED_P1, null))),
            NOW,
            DENY,
            "refusal",
            "r-p1"),
        row(
            "refusal to the hospital stops a message to its ward",
            toWard().coveredBy(HOSPITAL_PSYCHIATRY, "below"),
            List.of(p3, refusal("r-h", ConsentRecipient.organisation(HOSPITAL_PSYCHIATRY, null))),
            NOW,
            DENY,
            "refusal",
            "r-h"),
        row(
            "own GP by kind, record declares no kind",
            toGp(null).withPurpose("care-coordination"),
            List.of(
                consent(
                    "c-gp",
                    ConsentRecipient.ofKind(RecipientKind.OWN_GP),
                    Purpose.CARE_COORDINATION,
                    "medication")),
            NOW,
            HOLD,
            "no-basis",
            null),
        // Validity edges
        row("exactly at given-at", toWard(), List.of(p3), GIVEN, PERMIT, "consent", "c-p3"),
        row(
            "a second before given-at",
            toWard(),
            List.of(p3),
            GIVEN.minusSeconds(1),
            HOLD,
            "no-basis",
            null),
        row(
            "exactly 1 year after given-at (last moment valid)",
            toWard(),
            List.of(p3),
            GIVEN.plusYears(1),
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "a second after the 1-year validity",
            toWard(),
            List.of(p3),
            GIVEN.plusYears(1).plusSeconds(1),
            HOLD,
            "no-basis",
            null),
        // Time zones: validity is compared as instants, whatever offset a side was written in.
        row(
            "valid until midnight Danish summer time, decided the same instant in UTC",
            toWard(),
            List.of(validUntil(p3, OffsetDateTime.parse("2026-06-30T23:59:59+02:00"))),
            OffsetDateTime.parse("2026-06-30T21:59:59Z"),
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "valid until midnight Danish summer time, decided a second later in UTC",
            toWard(),
            List.of(validUntil(p3, OffsetDateTime.parse("2026-06-30T23:59:59+02:00"))),
            OffsetDateTime.parse("2026-06-30T22:00:00Z"),
            HOLD,
            "no-basis",
            null),
        row(
            "given in Danish time, decided in UTC an hour before it by the clock",
            toWard(),
            List.of(p3),
            OffsetDateTime.parse("2026-01-10T09:30:00Z"),
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "revoked in Danish time, decided in UTC after it though earlier by the clock",
            toWard(),
            List.of(revokedAt(p3, OffsetDateTime.parse("2026-03-01T10:00:00+01:00"))),
            OffsetDateTime.parse("2026-03-01T09:30:00Z"),
            HOLD,
            "no-basis",
            null),
        row(
            "a day after the 1-year validity",
            toWard(),
            List.of(p3),
            GIVEN.plusYears(1).plusDays(1),
            HOLD,
            "no-basis",
            null),
        row(
            "ends earlier with the treatment course",
            toWard(),
            List.of(validUntil(p3, GIVEN.plusMonths(2))),
            NOW,
            HOLD,
            "no-basis",
            null),
        // Revocation
        row(
            "revoked before the decision",
            toWard(),
            List.of(revokedAt(p3, NOW.minusDays(1))),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "revoked after the decision",
            toWard(),
            List.of(revokedAt(p3, NOW.plusDays(1))),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "revoked at the very moment of the decision",
            toWard(),
            List.of(revokedAt(p3, NOW)),
            NOW,
            HOLD,
            "no-basis",
            null),
        // Proxy
        row(
            "proxy consent with authority",
            toWard(),
            List.of(byProxy(p3)),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "proxy refusal",
            toWard(),
            List.of(p3, byProxy(refusal("r-proxy", ConsentRecipient.organisation(WARD_P3, null)))),
            NOW,
            DENY,
            "refusal",
            "r-proxy"),
        // Undeterminable content
        row(
            "no information categories",
            toWard().withCategories(),
            List.of(p3),
            NOW,
            HOLD,
            "undetermined",
            null),
        row(
            "unknown information category",
            toWard("diagnoses"),
            List.of(p3),
            NOW,
            HOLD,
            "undetermined",
            null),
        row("no purpose", toWard().withPurpose(null), List.of(p3), NOW, HOLD, "undetermined", null),
        row(
            "unknown purpose",
            toWard().withPurpose("research"),
            List.of(p3),
            NOW,
            HOLD,
            "undetermined",
            null),
        row(
            "no categories, even with a legal basis",
            toGp(RecipientKind.OWN_GP).withCategories().withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "undetermined",
            null),
        // Refusals
        row(
            "refusal for this recipient",
            toWard(),
            List.of(refusal("r-p3", ConsentRecipient.organisation(WARD_P3, null))),
            NOW,
            DENY,
            "refusal",
            "r-p3"),
        row(
            "refusal beats an overlapping consent",
            toWard(),
            List.of(p3, refusal("r-p3", ConsentRecipient.organisation(WARD_P3, null))),
            NOW,
            DENY,
            "refusal",
            "r-p3"),
        row(
            "refusal for another recipient does not stop a consent",
            toWard(),
            List.of(p3, refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "refusal of another category does not stop a consent",
            toWard("social-conditions"),
            List.of(
                p3, refusal("r-med", ConsentRecipient.organisation(WARD_P3, null), "medication")),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        row(
            "revoked refusal no longer denies",
            toWard(),
            List.of(
                p3,
                revokedAt(
                    refusal("r-p3", ConsentRecipient.organisation(WARD_P3, null)),
                    NOW.minusDays(1))),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        // Legal basis: current treatment between health persons (3.4.1)
        row(
            "current treatment: in scope",
            toGp(RecipientKind.OWN_GP).withBasis("current-treatment"),
            List.of(),
            NOW,
            PERMIT,
            "current-treatment",
            null),
        row(
            "current treatment: from home nursing (a health person)",
            toGp(RecipientKind.OWN_GP).from(SenderKind.HOME_NURSING).withBasis("current-treatment"),
            List.of(),
            NOW,
            PERMIT,
            "current-treatment",
            null),
        // Home nursing is a health person, the municipality's social psychiatry is not (template
        // A, source 001): the registry must confirm home nursing, not just the municipality, or a
        // hospital's note reaches any municipal unit the record calls home nursing.
        row(
            "current treatment: to a unit the registry confirms as home nursing",
            toMunicipality()
                .withKind(RecipientKind.HOME_NURSING)
                .withCategories("medication")
                .withPurpose("current-treatment")
                .withBasis("current-treatment"),
            List.of(),
            NOW,
            PERMIT,
            "current-treatment",
            null),
        row(
            "current treatment: 'home nursing' the registry places in the municipality only (e.g."
                + " its social psychiatry)",
            toMunicipality()
                .withKind(RecipientKind.HOME_NURSING)
                .inSector(Sector.MUNICIPALITY)
                .withCategories("medication")
                .withPurpose("current-treatment")
                .withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c to home nursing (a municipal unit the registry confirms) under the plan",
            toMunicipality()
                .withKind(RecipientKind.MUNICIPALITY)
                .inSector(Sector.HOME_NURSING)
                .withPurpose("discharge-planning")
                .withBasis("psychiatry-act-13c")
                .withPlan("UA-1", "discharge-agreement", true),
            List.of(),
            NOW,
            PERMIT,
            "psychiatry-act-13c",
            null),
        row(
            "current treatment: a social-psychiatry caseworker is not a health person",
            toWard("medication", "current-treatment")
                .withKind(RecipientKind.HOSPITAL)
                .from(SenderKind.MUNICIPAL_SOCIAL_SERVICES)
                .withPurpose("current-treatment")
                .withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: home care is not a health person (sender)",
            toGp(RecipientKind.OWN_GP).from(SenderKind.HOME_CARE).withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: sender kind not established",
            toGp(RecipientKind.OWN_GP).from(null).withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: 'own GP' the registry places in a hospital",
            toGp(RecipientKind.OWN_GP).inSector(Sector.HOSPITAL).withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: 'own GP' the registry places in no sector (a private unit)",
            toGp(RecipientKind.OWN_GP).unplaced().withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: 'hospital' the registry places in no sector",
            toWard("medication")
                .withKind(RecipientKind.HOSPITAL)
                .unplaced()
                .withPurpose("current-treatment")
                .withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "discharge letter to an 'own GP' the registry places in no sector",
            toGp(RecipientKind.OWN_GP)
                .unplaced()
                .withPurpose("discharge-planning")
                .withMessageCategory("discharge")
                .withBasis("discharge-letter-gp"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: to a hospital unit",
            toWard("medication")
                .withKind(RecipientKind.HOSPITAL)
                .withPurpose("current-treatment")
                .withBasis("current-treatment"),
            List.of(),
            NOW,
            PERMIT,
            "current-treatment",
            null),
        row(
            "current treatment: social conditions are out of scope",
            toGp(RecipientKind.OWN_GP)
                .withCategories("social-conditions")
                .withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: home care is not a health person",
            toGp(RecipientKind.HOME_CARE).withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: recipient kind unknown",
            toGp(null).withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: purpose coordination is out of scope",
            toGp(RecipientKind.OWN_GP)
                .withPurpose("care-coordination")
                .withBasis("current-treatment"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "current treatment: the citizen objected",
            toGp(RecipientKind.OWN_GP).withBasis("current-treatment"),
            List.of(refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))),
            NOW,
            DENY,
            "refusal",
            "r-gp"),
        row(
            "current treatment: the citizen objected to own GP, the record calls the practice a"
                + " practising specialist",
            toGp(RecipientKind.PRACTISING_SPECIALIST).withBasis("current-treatment"),
            List.of(refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))),
            NOW,
            DENY,
            "refusal",
            "r-gp"),
        row(
            "refusal of own GP beats a consent naming a practice, record states no kind",
            toGp(null).inSector(Sector.PRACTICE).withPurpose("care-coordination"),
            List.of(
                consent("c-gp", GP, Purpose.CARE_COORDINATION, "medication", "observations"),
                refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))),
            NOW,
            DENY,
            "refusal",
            "r-gp"),
        row(
            "refusal of own GP does not stop a message to a hospital ward",
            toWard("medication")
                .withKind(RecipientKind.HOSPITAL)
                .withPurpose("current-treatment")
                .withBasis("current-treatment"),
            List.of(refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))),
            NOW,
            PERMIT,
            "current-treatment",
            null),
        row(
            "current treatment: expired refusal no longer objects",
            toGp(RecipientKind.OWN_GP).withBasis("current-treatment"),
            List.of(
                validUntil(
                    refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP)),
                    NOW.minusDays(1))),
            NOW,
            PERMIT,
            "current-treatment",
            null),
        row(
            "out of a legal basis's scope, a consent still permits",
            toWard().withBasis("current-treatment"),
            List.of(p3),
            NOW,
            PERMIT,
            "consent",
            "c-p3"),
        // Legal basis: discharge letter to own GP (3.4.2)
        row(
            "discharge letter to own GP",
            toGp(RecipientKind.OWN_GP)
                .withPurpose("discharge-planning")
                .withMessageCategory("discharge")
                .withBasis("discharge-letter-gp"),
            List.of(),
            NOW,
            PERMIT,
            "discharge-letter-gp",
            null),
        row(
            "discharge letter from home care is not the hospital's",
            toGp(RecipientKind.OWN_GP)
                .from(SenderKind.HOME_CARE)
                .withPurpose("discharge-planning")
                .withMessageCategory("discharge")
                .withBasis("discharge-letter-gp"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "discharge letter to own GP without a kind stated",
            toGp(null)
                .withPurpose("discharge-planning")
                .withMessageCategory("discharge")
                .withBasis("discharge-letter-gp"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "discharge letter to a hospital is out of scope",
            toWard("medication")
                .withKind(RecipientKind.HOSPITAL)
                .withPurpose("discharge-planning")
                .withMessageCategory("discharge")
                .withBasis("discharge-letter-gp"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "discharge letter rule needs a discharge message",
            toGp(RecipientKind.OWN_GP)
                .withPurpose("discharge-planning")
                .withMessageCategory("medicine")
                .withBasis("discharge-letter-gp"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "refusal beats the discharge-letter exception",
            toGp(RecipientKind.OWN_GP)
                .withPurpose("discharge-planning")
                .withMessageCategory("discharge")
                .withBasis("discharge-letter-gp"),
            List.of(refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))),
            NOW,
            DENY,
            "refusal",
            "r-gp"),
        // Legal basis: Mental Health Act §13c (3.4.3)
        row(
            "§13c: belongs to a coordination plan, social information to the municipality",
            toMunicipality()
                .withBasis("psychiatry-act-13c")
                .withPlan("KP-1", "coordination-plan", true),
            List.of(),
            NOW,
            PERMIT,
            "psychiatry-act-13c",
            null),
        row(
            "§13c: no plan named",
            toMunicipality().withBasis("psychiatry-act-13c"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: plan not known to the gateway",
            toMunicipality().withBasis("psychiatry-act-13c").withPlan("KP-9", null, false),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: a KIP is not a §13a/§13b plan",
            toMunicipality().withBasis("psychiatry-act-13c").withPlan("KIP-1", "kip", true),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: the plan is about another citizen",
            toMunicipality()
                .withBasis("psychiatry-act-13c")
                .withPlan("UA-1", "discharge-agreement", false),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: the plan has ended",
            toMunicipality()
                .withBasis("psychiatry-act-13c")
                .withPlanFact(
                    new Disclosure.PlanFact(
                        "UA-1",
                        "discharge-agreement",
                        true,
                        "test",
                        "plan UA-1 ended on 2026-01-31 (version 2)",
                        null)),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: the recipient is not a party to the plan",
            toMunicipality()
                .withBasis("psychiatry-act-13c")
                .withPlanFact(
                    new Disclosure.PlanFact(
                        "UA-1",
                        "discharge-agreement",
                        true,
                        "test",
                        null,
                        "the recipient (SOR 1) is not a party to plan UA-1")),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: the municipality discloses back to the ward under the plan",
            toWard("social-conditions", "substance-misuse")
                .withKind(RecipientKind.HOSPITAL)
                .from(SenderKind.MUNICIPAL_SOCIAL_SERVICES)
                .withPurpose("discharge-planning")
                .withBasis("psychiatry-act-13c")
                .withPlan("UA-1", "discharge-agreement", true),
            List.of(),
            NOW,
            PERMIT,
            "psychiatry-act-13c",
            null),
        row(
            "§13c: not to others (insurer, employer)",
            toMunicipality()
                .withKind(RecipientKind.OTHER)
                .withBasis("psychiatry-act-13c")
                .withPlan("KP-1", "coordination-plan", true),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: purpose current treatment is out of scope",
            toMunicipality()
                .withPurpose("current-treatment")
                .withBasis("psychiatry-act-13c")
                .withPlan("KP-1", "coordination-plan", true),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c: a refusal does not stop a coordination plan",
            toMunicipality()
                .withBasis("psychiatry-act-13c")
                .withPlan("KP-1", "coordination-plan", true),
            List.of(refusal("r-sp", ConsentRecipient.organisation(SOCIAL_PSYCHIATRY, null))),
            NOW,
            PERMIT,
            "psychiatry-act-13c",
            null),
        // Legal basis: acute danger (3.4.4)
        row(
            "acute danger with a written justification",
            toGp(RecipientKind.OWN_GP)
                .withPurpose("safety")
                .withBasis("acute-danger")
                .withJustification("threatened to harm neighbour"),
            List.of(),
            NOW,
            PERMIT,
            "acute-danger",
            null),
        row(
            "acute danger from social psychiatry to the GP",
            toGp(RecipientKind.OWN_GP)
                .from(SenderKind.MUNICIPAL_SOCIAL_SERVICES)
                .withCategories("social-conditions")
                .withPurpose("safety")
                .withBasis("acute-danger")
                .withJustification("threatened to harm neighbour"),
            List.of(),
            NOW,
            PERMIT,
            "acute-danger",
            null),
        row(
            "acute danger needs the recipient's kind",
            toGp(null)
                .withPurpose("safety")
                .withBasis("acute-danger")
                .withJustification("threatened to harm neighbour"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "acute danger without justification",
            toGp(RecipientKind.OWN_GP).withPurpose("safety").withBasis("acute-danger"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "acute danger with a blank justification",
            toGp(RecipientKind.OWN_GP)
                .withPurpose("safety")
                .withBasis("acute-danger")
                .withJustification("  "),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "acute danger for the purpose of treatment is out of scope",
            toGp(RecipientKind.OWN_GP).withBasis("acute-danger").withJustification("reason"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        // A kind that names no sector (an organisation, a residential facility) is no claim the
        // registry can confirm, but the recipient must still be placed: a privately owned unit
        // without an institution type the configuration knows confirms nothing (docs/consent.md).
        row(
            "acute danger to an 'organisation' the registry places in a sector",
            toGp(null)
                .withKind(RecipientKind.ORGANISATION)
                .inSector(Sector.PRACTICE)
                .withPurpose("safety")
                .withBasis("acute-danger")
                .withJustification("threatened to harm neighbour"),
            List.of(),
            NOW,
            PERMIT,
            "acute-danger",
            null),
        row(
            "acute danger to an 'organisation' the registry places in no sector",
            toGp(null)
                .withKind(RecipientKind.ORGANISATION)
                .unplaced()
                .withPurpose("safety")
                .withBasis("acute-danger")
                .withJustification("threatened to harm neighbour"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "§13c to a 'residential facility' the registry places in no sector",
            toMunicipality()
                .withKind(RecipientKind.RESIDENTIAL_FACILITY)
                .unplaced()
                .withPurpose("discharge-planning")
                .withBasis("psychiatry-act-13c")
                .withPlan("UA-1", "discharge-agreement", true),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "unknown legal basis claimed",
            toGp(RecipientKind.OWN_GP).withBasis("public-interest"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        // Relatives always need explicit consent
        row(
            "relative named in a consent",
            toRelative("Ida Testesen"),
            List.of(
                consent(
                    "c-rel",
                    ConsentRecipient.relative("Ida Testesen", "daughter"),
                    Purpose.INFORMING_RELATIVES,
                    "admission-status")),
            NOW,
            PERMIT,
            "consent",
            "c-rel"),
        row(
            "consent to a relative with a SOR code (recorded before rule relative-no-sor) does not"
                + " cover that unit",
            toWard("admission-status").withPurpose("informing-relatives"),
            List.of(
                consent(
                    "c-rel-sor",
                    new ConsentRecipient(
                        RecipientKind.RELATIVE, WARD_P3, "Ida Testesen", "daughter", null),
                    Purpose.INFORMING_RELATIVES,
                    "admission-status")),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "refusal of a relative with a SOR code still stops that unit (refusals read broadly)",
            toWard("admission-status")
                .withKind(RecipientKind.HOSPITAL)
                .withPurpose("current-treatment")
                .withBasis("current-treatment"),
            List.of(
                refusal(
                    "r-rel-sor",
                    new ConsentRecipient(
                        RecipientKind.RELATIVE, WARD_P3, "Ida Testesen", "daughter", null))),
            NOW,
            DENY,
            "refusal",
            "r-rel-sor"),
        row(
            "relative not the one named",
            toRelative("Bo Testesen"),
            List.of(
                consent(
                    "c-rel",
                    ConsentRecipient.relative("Ida Testesen", "daughter"),
                    Purpose.INFORMING_RELATIVES,
                    "admission-status")),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "relative under §13c still needs consent",
            toRelative("Ida Testesen")
                .withPurpose("discharge-planning")
                .withBasis("psychiatry-act-13c"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "relative under acute danger still needs consent",
            toRelative("Ida Testesen")
                .withPurpose("safety")
                .withBasis("acute-danger")
                .withJustification("reason"),
            List.of(),
            NOW,
            HOLD,
            "no-basis",
            null),
        row(
            "consent for a relative does not cover an organisation",
            toWard("admission-status").withPurpose("informing-relatives"),
            List.of(
                consent(
                    "c-rel",
                    ConsentRecipient.relative("Ida Testesen", "daughter"),
                    Purpose.INFORMING_RELATIVES,
                    "admission-status")),
            NOW,
            HOLD,
            "no-basis",
            null));
  }

  @Test
  void table_hasAtLeastFortyCases() {
    assertThat(table().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void disabledRule_isNoBasis_andSaysWhy() {
    ConsentPolicy policy =
        new ConsentPolicy(
            new ConsentProperties(
                    null,
                    null,
                    Map.of(
                        "current-treatment",
                        new ConsentProperties.RuleSettings(
                            false, null, null, null, null, null, null, null, null)),
                    null)
                .legalBasisRules());
    PolicyDecision decision =
        policy.decide(
            toGp(RecipientKind.OWN_GP).withBasis("current-treatment").build(), List.of(), NOW);
    assertThat(decision.outcome()).isEqualTo(HOLD);
    assertThat(decision.notes()).anyMatch(n -> n.contains("disabled"));
  }

  @Test
  void installationMayWidenARule_toHomeCare() {
    Disclosure homeCare =
        toGp(RecipientKind.OWN_GP)
            .from(SenderKind.HOME_CARE)
            .withBasis("current-treatment")
            .build();
    assertThat(POLICY.decide(homeCare, List.of(), NOW).notes())
        .contains(
            "sender kind home-care may not use legal basis current-treatment"
                + " (it is for: general-practice, home-nursing, hospital, practising-specialist)");
    ConsentPolicy widened =
        new ConsentPolicy(
            new ConsentProperties(
                    null,
                    null,
                    Map.of(
                        "current-treatment",
                        new ConsentProperties.RuleSettings(
                            null,
                            List.of("hospital", "home-nursing", "home-care"),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null)),
                    null)
                .legalBasisRules());
    assertThat(widened.decide(homeCare, List.of(), NOW).outcome()).isEqualTo(PERMIT);
  }

  @Test
  void unknownCodeInTheRuleTable_stopsTheStart() {
    ConsentProperties wrong =
        new ConsentProperties(
            null,
            null,
            Map.of(
                "acute-danger",
                new ConsentProperties.RuleSettings(
                    null, List.of("caseworker"), null, null, null, null, null, null, null)),
            null);
    Assertions.assertThatThrownBy(wrong::legalBasisRules)
        .hasMessageContaining(
            "gateway.consent.rules.acute-danger.sender-kinds: unknown code caseworker");
  }

  @Test
  void ruleAppliesOnlyWhenTheRecordStatesTheRecipientKind_andSaysSo() {
    PolicyDecision decision =
        POLICY.decide(toGp(null).withBasis("current-treatment").build(), List.of(), NOW);
    assertThat(decision.notes())
        .containsExactly(
            "legal basis current-treatment applies only when the record states the recipient's kind, and it states none");
  }

  // An admin who released a hold with a legal basis (or a caseworker who claimed one) saw it held
  // again as "no consent in force covers ...": why the basis did not apply was only in the notes,
  // which the console shows after opening personal data. The reason names it.
  @Test
  void claimedLegalBasisThatDoesNotApply_isNamedInTheHoldsReason() {
    PolicyDecision decision =
        POLICY.decide(toGp(null).withBasis("current-treatment").build(), List.of(), NOW);
    assertThat(decision.outcome()).isEqualTo(HOLD);
    assertThat(decision.reason())
        .isEqualTo(
            "no consent in force covers this recipient, these information categories and this"
                + " purpose; the claimed legal basis does not apply: legal basis current-treatment"
                + " applies only when the record states the recipient's kind, and it states none");
    assertThat(POLICY.decide(toGp(null).build(), List.of(), NOW).reason())
        .isEqualTo(
            "no consent in force covers this recipient, these information categories and this"
                + " purpose");
  }

  @Test
  void planGap_isNamed() {
    PolicyDecision decision =
        POLICY.decide(toMunicipality().withBasis("psychiatry-act-13c").build(), List.of(), NOW);
    assertThat(decision.notes())
        .singleElement()
        .asString()
        .contains("needs the discharge agreement (§13a) or coordination plan (§13b)");
  }

  @Test
  void consentReachingAUnitBelow_isNotedInTheDecision() {
    PolicyDecision decision =
        POLICY.decide(
            toWard().coveredBy(HOSPITAL_PSYCHIATRY, "SOR x is below y").build(),
            List.of(
                consent(
                    "c-h",
                    HOSPITAL_PSYCHIATRY,
                    Purpose.CARE_COORDINATION,
                    "social-conditions",
                    "current-treatment")),
            NOW);
    assertThat(decision.notes()).containsExactly("consent c-h: SOR x is below y");
  }

  @Test
  void holdNamesEveryLapsedConsentOfThisRecipient() {
    ConsentRecord expired =
        validUntil(
            consent("c-old", WARD_P3, Purpose.CARE_COORDINATION, "social-conditions"),
            NOW.minusDays(2));
    ConsentRecord revoked =
        revokedAt(
            consent("c-rev", WARD_P3, Purpose.CARE_COORDINATION, "social-conditions"),
            NOW.minusDays(1));
    ConsentRecord otherRecipient =
        revokedAt(
            consent("c-gp", GP, Purpose.CARE_COORDINATION, "social-conditions"), NOW.minusDays(1));
    PolicyDecision decision =
        POLICY.decide(
            toWard("social-conditions").build(), List.of(expired, revoked, otherRecipient), NOW);
    assertThat(decision.outcome()).isEqualTo(HOLD);
    assertThat(decision.notes())
        .containsExactly(
            "consent c-old to this recipient expired on " + NOW.minusDays(2),
            "consent c-rev to this recipient was revoked at "
                + NOW.minusDays(1)
                + " by Karen Holm");
  }

  @Test
  void holdExplainsWhichConsentFellShort() {
    ConsentRecord p3 = consent("c-p3", WARD_P3, Purpose.CARE_COORDINATION, "social-conditions");
    PolicyDecision decision = POLICY.decide(toWard("medication").build(), List.of(p3), NOW);
    assertThat(decision.notes())
        .containsExactly("consent c-p3: information category medication not covered");
  }

  // ---- fixtures ----

  private static Arguments row(
      String name,
      D d,
      List<ConsentRecord> consents,
      OffsetDateTime at,
      Outcome outcome,
      String basis,
      String consentId) {
    return Arguments.of(name, d.build(), consents, at, outcome, basis, consentId);
  }

  private static D toWard(String... categories) {
    String[] c =
        categories.length == 0
            ? new String[] {"social-conditions", "current-treatment"}
            : categories;
    return D.to(WARD_P3, "Afsnit P3", null).withCategories(c);
  }

  private static D toGp(RecipientKind kind) {
    return D.to(GP, "Lægehuset Nordby", kind)
        .withCategories("medication", "observations")
        .withPurpose("current-treatment");
  }

  private static D toMunicipality() {
    return D.to(SOCIAL_PSYCHIATRY, "Nordby Socialpsykiatri", RecipientKind.SOCIAL_PSYCHIATRY)
        .withCategories("social-conditions", "substance-misuse")
        .withPurpose("care-coordination");
  }

  private static D toRelative(String name) {
    return D.to(null, name, RecipientKind.RELATIVE)
        .withCategories("admission-status")
        .withPurpose("informing-relatives");
  }

  static ConsentRecord consent(String id, String sor, Purpose purpose, String... categories) {
    return consent(id, ConsentRecipient.organisation(sor, null), purpose, categories);
  }

  static ConsentRecord consent(
      String id, ConsentRecipient recipient, Purpose purpose, String... categories) {
    return new ConsentRecord(
        id,
        CITIZEN,
        Type.CONSENT,
        new Grantor(GrantorType.CITIZEN, null, null),
        List.of(recipient),
        categories(categories),
        purpose,
        GIVEN,
        GIVEN.plusYears(1),
        "Karen Holm",
        "Lise Jensen",
        ConsentForm.WRITTEN,
        GIVEN,
        null);
  }

  static ConsentRecord refusal(String id, ConsentRecipient recipient, String... categories) {
    return new ConsentRecord(
        id,
        CITIZEN,
        Type.REFUSAL,
        new Grantor(GrantorType.CITIZEN, null, null),
        List.of(recipient),
        categories(categories),
        null,
        GIVEN,
        null,
        "Karen Holm",
        null,
        ConsentForm.VERBAL,
        GIVEN,
        null);
  }

  static ConsentRecord withCitizen(ConsentRecord c, String cpr) {
    return new ConsentRecord(
        c.id(),
        cpr,
        c.type(),
        c.givenBy(),
        c.recipients(),
        c.categories(),
        c.purpose(),
        c.givenAt(),
        c.validUntil(),
        c.collectedBy(),
        c.witness(),
        c.form(),
        c.recordedAt(),
        c.revocation());
  }

  static ConsentRecord validUntil(ConsentRecord c, OffsetDateTime until) {
    return new ConsentRecord(
        c.id(),
        c.citizenCpr(),
        c.type(),
        c.givenBy(),
        c.recipients(),
        c.categories(),
        c.purpose(),
        c.givenAt(),
        until,
        c.collectedBy(),
        c.witness(),
        c.form(),
        c.recordedAt(),
        c.revocation());
  }

  static ConsentRecord byProxy(ConsentRecord c) {
    return new ConsentRecord(
        c.id(),
        c.citizenCpr(),
        c.type(),
        new Grantor(
            GrantorType.PROXY, "Jens Værge", "guardian (værge), Familieretshuset case 2026-123"),
        c.recipients(),
        c.categories(),
        c.purpose(),
        c.givenAt(),
        c.validUntil(),
        c.collectedBy(),
        c.witness(),
        c.form(),
        c.recordedAt(),
        c.revocation());
  }

  static ConsentRecord revokedAt(ConsentRecord c, OffsetDateTime at) {
    return c.revoked(new Revocation(at, "Karen Holm", "citizen phoned"));
  }

  private static Set<InformationCategory> categories(String... codes) {
    return Arrays.stream(codes)
        .map(c -> CodedValue.byCode(InformationCategory.class, c).orElseThrow())
        .collect(Collectors.toSet());
  }

  /** A disclosure under construction; the sender is a hospital unless a row says otherwise. */
  record D(
      String sor,
      String name,
      RecipientKind kind,
      List<String> categories,
      String purpose,
      String messageCategory,
      String basis,
      String justification,
      SenderKind sender,
      Disclosure.PlanFact plan,
      Sector sector,
      Map<String, String> coveredBy,
      Map<String, String> notCoveredBy,
      boolean noSector) {

    static D to(String sor, String name, RecipientKind kind) {
      return new D(
          sor,
          name,
          kind,
          List.of(),
          "care-coordination",
          "psychiatry-social-disability",
          null,
          null,
          SenderKind.HOSPITAL,
          null,
          null,
          Map.of(),
          Map.of(),
          false);
    }

    D withCategories(String... c) {
      return with(d -> d.categories = List.of(c));
    }

    D withPurpose(String p) {
      return with(d -> d.purpose = p);
    }

    D withSor(String s) {
      return with(d -> d.sor = s);
    }

    D withKind(RecipientKind k) {
      return with(d -> d.kind = k);
    }

    D withMessageCategory(String m) {
      return with(d -> d.messageCategory = m);
    }

    D withBasis(String b) {
      return with(d -> d.basis = b);
    }

    D withJustification(String j) {
      return with(d -> d.justification = j);
    }

    D from(SenderKind k) {
      return with(d -> d.sender = k);
    }

    D withPlan(String reference, String planKind, boolean sameCitizen) {
      return withPlanFact(new Disclosure.PlanFact(reference, planKind, sameCitizen, "test"));
    }

    D withPlanFact(Disclosure.PlanFact fact) {
      return with(d -> d.plan = fact);
    }

    D inSector(Sector s) {
      return with(d -> d.sector = s);
    }

    /**
     * The registry places the recipient in no sector (e.g. a privately owned unit without an
     * institution type); otherwise a row's recipient is where its kind says (or {@link #inSector}).
     */
    D unplaced() {
      return with(d -> d.noSector = true);
    }

    D coveredBy(String consentSor, String how) {
      return with(d -> d.coveredBy = Map.of(consentSor, how));
    }

    D notCoveredBy(String consentSor, String why) {
      return with(d -> d.notCoveredBy = Map.of(consentSor, why));
    }

    /** A copy of this disclosure with one or more parts changed (the record stays immutable). */
    private D with(Consumer<Draft> change) {
      Draft draft = new Draft(this);
      change.accept(draft);
      return draft.done();
    }

    Disclosure build() {
      return new Disclosure(
          CITIZEN,
          new Disclosure.Recipient(
              sor,
              name,
              kind,
              sector != null || noSector || kind == null ? sector : kind.expectedSector(),
              coveredBy,
              notCoveredBy),
          categories,
          purpose,
          messageCategory,
          basis,
          justification,
          sender == null
              ? Disclosure.Sender.unknown("not in the registry")
              : new Disclosure.Sender(sender, "test"),
          plan);
    }
  }

  /** The parts of a {@link D}, to change before building the next one. */
  private static final class Draft {
    String sor;
    String name;
    RecipientKind kind;
    List<String> categories;
    String purpose;
    String messageCategory;
    String basis;
    String justification;
    SenderKind sender;
    Disclosure.PlanFact plan;
    Sector sector;
    Map<String, String> coveredBy;
    Map<String, String> notCoveredBy;
    boolean noSector;

    Draft(D d) {
      sor = d.sor();
      name = d.name();
      kind = d.kind();
      categories = d.categories();
      purpose = d.purpose();
      messageCategory = d.messageCategory();
      basis = d.basis();
      justification = d.justification();
      sender = d.sender();
      plan = d.plan();
      sector = d.sector();
      coveredBy = d.coveredBy();
      notCoveredBy = d.notCoveredBy();
      noSector = d.noSector();
    }

    D done() {
      return new D(
          sor,
          name,
          kind,
          categories,
          purpose,
          messageCategory,
          basis,
          justification,
          sender,
          plan,
          sector,
          coveredBy,
          notCoveredBy,
          noSector);
    }
  }
}
