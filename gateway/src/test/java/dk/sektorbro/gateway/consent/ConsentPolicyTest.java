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
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
  static final OffsetDateTime GIVEN = OffsetDateTime.parse("2026-01-10T10:00:00+01:00");
  static final OffsetDateTime NOW = GIVEN.plusMonths(3);

  static final ConsentPolicy POLICY = new ConsentPolicy(DefaultLegalBases.rules());

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decide(String name, Disclosure disclosure, List<ConsentRecord> consents, OffsetDateTime at,
      Outcome outcome, String basis, String consentId) {
    PolicyDecision decision = POLICY.decide(disclosure, consents, at);
    assertThat(decision.outcome()).as("outcome; %s", decision).isEqualTo(outcome);
    assertThat(decision.basis()).as("basis; %s", decision).isEqualTo(basis);
    assertThat(decision.consentId()).as("consent id; %s", decision).isEqualTo(consentId);
  }

  static Stream<Arguments> table() {
    ConsentRecord p3 = consent("c-p3", WARD_P3, Purpose.CARE_COORDINATION, "social-conditions", "current-treatment");
    return Stream.of(
        // Consent coverage: recipient, categories, purpose
        row("consent covers recipient, categories and purpose", toWard(), List.of(p3), NOW, PERMIT, "consent", "c-p3"),
        row("message categories a subset of the consent's", toWard("social-conditions"), List.of(p3), NOW, PERMIT, "consent", "c-p3"),
        row("message categories a superset of the consent's", toWard("social-conditions", "current-treatment", "medication"), List.of(p3), NOW, HOLD, "no-basis", null),
        row("purpose not the consent's", toWard().withPurpose("current-treatment"), List.of(p3), NOW, HOLD, "no-basis", null),
        row("other unit of the same hospital", toWard().withSor(WARD_P4_SAME_HOSPITAL), List.of(p3), NOW, HOLD, "no-basis", null),
        row("no consents at all", toWard(), List.of(), NOW, HOLD, "no-basis", null),
        row("consent for another citizen", toWard(), List.of(withCitizen(p3, OTHER_CITIZEN)), NOW, HOLD, "no-basis", null),
        row("second consent covers where the first does not",
            toWard("medication"), List.of(p3, consent("c-med", WARD_P3, Purpose.CARE_COORDINATION, "medication")), NOW, PERMIT, "consent", "c-med"),
        row("kind with SOR (social psychiatry of a municipality) matches that SOR",
            D.to(SOCIAL_PSYCHIATRY, null, null).withCategories("social-conditions"),
            List.of(consent("c-sp", new ConsentRecipient(RecipientKind.SOCIAL_PSYCHIATRY, SOCIAL_PSYCHIATRY, null, null, "Nordby"), Purpose.CARE_COORDINATION, "social-conditions")),
            NOW, PERMIT, "consent", "c-sp"),
        row("own GP by kind, record declares own GP", toGp(RecipientKind.OWN_GP).withPurpose("care-coordination"),
            List.of(consent("c-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP), Purpose.CARE_COORDINATION, "medication", "observations")), NOW, PERMIT, "consent", "c-gp"),
        row("own GP by kind, record declares no kind", toGp(null).withPurpose("care-coordination"),
            List.of(consent("c-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP), Purpose.CARE_COORDINATION, "medication")), NOW, HOLD, "no-basis", null),
        // Validity edges
        row("exactly at given-at", toWard(), List.of(p3), GIVEN, PERMIT, "consent", "c-p3"),
        row("a second before given-at", toWard(), List.of(p3), GIVEN.minusSeconds(1), HOLD, "no-basis", null),
        row("exactly 1 year after given-at (last moment valid)", toWard(), List.of(p3), GIVEN.plusYears(1), PERMIT, "consent", "c-p3"),
        row("a day after the 1-year validity", toWard(), List.of(p3), GIVEN.plusYears(1).plusDays(1), HOLD, "no-basis", null),
        row("ends earlier with the treatment course", toWard(), List.of(validUntil(p3, GIVEN.plusMonths(2))), NOW, HOLD, "no-basis", null),
        // Revocation
        row("revoked before the decision", toWard(), List.of(revokedAt(p3, NOW.minusDays(1))), NOW, HOLD, "no-basis", null),
        row("revoked after the decision", toWard(), List.of(revokedAt(p3, NOW.plusDays(1))), NOW, PERMIT, "consent", "c-p3"),
        row("revoked at the very moment of the decision", toWard(), List.of(revokedAt(p3, NOW)), NOW, HOLD, "no-basis", null),
        // Proxy
        row("proxy consent with authority", toWard(), List.of(byProxy(p3)), NOW, PERMIT, "consent", "c-p3"),
        row("proxy refusal", toWard(), List.of(p3, byProxy(refusal("r-proxy", ConsentRecipient.organisation(WARD_P3, null)))), NOW, DENY, "refusal", "r-proxy"),
        // Undeterminable content
        row("no information categories", toWard().withCategories(), List.of(p3), NOW, HOLD, "undetermined", null),
        row("unknown information category", toWard("diagnoses"), List.of(p3), NOW, HOLD, "undetermined", null),
        row("no purpose", toWard().withPurpose(null), List.of(p3), NOW, HOLD, "undetermined", null),
        row("unknown purpose", toWard().withPurpose("research"), List.of(p3), NOW, HOLD, "undetermined", null),
        row("no categories, even with a legal basis", toGp(RecipientKind.OWN_GP).withCategories().withBasis("current-treatment"), List.of(), NOW, HOLD, "undetermined", null),
        // Refusals
        row("refusal for this recipient", toWard(), List.of(refusal("r-p3", ConsentRecipient.organisation(WARD_P3, null))), NOW, DENY, "refusal", "r-p3"),
        row("refusal beats an overlapping consent", toWard(), List.of(p3, refusal("r-p3", ConsentRecipient.organisation(WARD_P3, null))), NOW, DENY, "refusal", "r-p3"),
        row("refusal for another recipient does not stop a consent", toWard(), List.of(p3, refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))), NOW, PERMIT, "consent", "c-p3"),
        row("refusal of another category does not stop a consent", toWard("social-conditions"),
            List.of(p3, refusal("r-med", ConsentRecipient.organisation(WARD_P3, null), "medication")), NOW, PERMIT, "consent", "c-p3"),
        row("revoked refusal no longer denies", toWard(), List.of(p3, revokedAt(refusal("r-p3", ConsentRecipient.organisation(WARD_P3, null)), NOW.minusDays(1))), NOW, PERMIT, "consent", "c-p3"),
        // Legal basis: current treatment between health persons (3.4.1)
        row("current treatment: in scope", toGp(RecipientKind.OWN_GP).withBasis("current-treatment"), List.of(), NOW, PERMIT, "current-treatment", null),
        row("current treatment: to a hospital unit", toWard("medication").withKind(RecipientKind.HOSPITAL).withPurpose("current-treatment").withBasis("current-treatment"), List.of(), NOW, PERMIT, "current-treatment", null),
        row("current treatment: social conditions are out of scope", toGp(RecipientKind.OWN_GP).withCategories("social-conditions").withBasis("current-treatment"), List.of(), NOW, HOLD, "no-basis", null),
        row("current treatment: home care is not a health person", toGp(RecipientKind.HOME_CARE).withBasis("current-treatment"), List.of(), NOW, HOLD, "no-basis", null),
        row("current treatment: recipient kind unknown", toGp(null).withBasis("current-treatment"), List.of(), NOW, HOLD, "no-basis", null),
        row("current treatment: purpose coordination is out of scope", toGp(RecipientKind.OWN_GP).withPurpose("care-coordination").withBasis("current-treatment"), List.of(), NOW, HOLD, "no-basis", null),
        row("current treatment: the citizen objected", toGp(RecipientKind.OWN_GP).withBasis("current-treatment"),
            List.of(refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))), NOW, DENY, "refusal", "r-gp"),
        row("current treatment: expired refusal no longer objects", toGp(RecipientKind.OWN_GP).withBasis("current-treatment"),
            List.of(validUntil(refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP)), NOW.minusDays(1))), NOW, PERMIT, "current-treatment", null),
        row("out of a legal basis's scope, a consent still permits", toWard().withBasis("current-treatment"), List.of(p3), NOW, PERMIT, "consent", "c-p3"),
        // Legal basis: discharge letter to own GP (3.4.2)
        row("discharge letter to own GP", toGp(RecipientKind.OWN_GP).withPurpose("discharge-planning").withMessageCategory("discharge").withBasis("discharge-letter-gp"), List.of(), NOW, PERMIT, "discharge-letter-gp", null),
        row("discharge letter to a hospital is out of scope", toWard("medication").withKind(RecipientKind.HOSPITAL).withPurpose("discharge-planning").withMessageCategory("discharge").withBasis("discharge-letter-gp"), List.of(), NOW, HOLD, "no-basis", null),
        row("discharge letter rule needs a discharge message", toGp(RecipientKind.OWN_GP).withPurpose("discharge-planning").withMessageCategory("medicine").withBasis("discharge-letter-gp"), List.of(), NOW, HOLD, "no-basis", null),
        row("refusal beats the discharge-letter exception", toGp(RecipientKind.OWN_GP).withPurpose("discharge-planning").withMessageCategory("discharge").withBasis("discharge-letter-gp"),
            List.of(refusal("r-gp", ConsentRecipient.ofKind(RecipientKind.OWN_GP))), NOW, DENY, "refusal", "r-gp"),
        // Legal basis: Mental Health Act §13c (3.4.3)
        row("§13c: coordination plan with social information to the municipality", toMunicipality().withBasis("psychiatry-act-13c"), List.of(), NOW, PERMIT, "psychiatry-act-13c", null),
        row("§13c: purpose current treatment is out of scope", toMunicipality().withPurpose("current-treatment").withBasis("psychiatry-act-13c"), List.of(), NOW, HOLD, "no-basis", null),
        row("§13c: a refusal does not stop a coordination plan", toMunicipality().withBasis("psychiatry-act-13c"),
            List.of(refusal("r-sp", ConsentRecipient.organisation(SOCIAL_PSYCHIATRY, null))), NOW, PERMIT, "psychiatry-act-13c", null),
        // Legal basis: acute danger (3.4.4)
        row("acute danger with a written justification", toGp(RecipientKind.OWN_GP).withPurpose("safety").withBasis("acute-danger").withJustification("threatened to harm neighbour"), List.of(), NOW, PERMIT, "acute-danger", null),
        row("acute danger without justification", toGp(RecipientKind.OWN_GP).withPurpose("safety").withBasis("acute-danger"), List.of(), NOW, HOLD, "no-basis", null),
        row("acute danger with a blank justification", toGp(RecipientKind.OWN_GP).withPurpose("safety").withBasis("acute-danger").withJustification("  "), List.of(), NOW, HOLD, "no-basis", null),
        row("acute danger for the purpose of treatment is out of scope", toGp(RecipientKind.OWN_GP).withBasis("acute-danger").withJustification("reason"), List.of(), NOW, HOLD, "no-basis", null),
        row("unknown legal basis claimed", toGp(RecipientKind.OWN_GP).withBasis("public-interest"), List.of(), NOW, HOLD, "no-basis", null),
        // Relatives always need explicit consent
        row("relative named in a consent", toRelative("Ida Testesen"), List.of(consent("c-rel", ConsentRecipient.relative("Ida Testesen", "daughter"), Purpose.INFORMING_RELATIVES, "admission-status")), NOW, PERMIT, "consent", "c-rel"),
        row("relative not the one named", toRelative("Bo Testesen"), List.of(consent("c-rel", ConsentRecipient.relative("Ida Testesen", "daughter"), Purpose.INFORMING_RELATIVES, "admission-status")), NOW, HOLD, "no-basis", null),
        row("relative under §13c still needs consent", toRelative("Ida Testesen").withPurpose("discharge-planning").withBasis("psychiatry-act-13c"), List.of(), NOW, HOLD, "no-basis", null),
        row("relative under acute danger still needs consent", toRelative("Ida Testesen").withPurpose("safety").withBasis("acute-danger").withJustification("reason"), List.of(), NOW, HOLD, "no-basis", null),
        row("consent for a relative does not cover an organisation", toWard("admission-status").withPurpose("informing-relatives"),
            List.of(consent("c-rel", ConsentRecipient.relative("Ida Testesen", "daughter"), Purpose.INFORMING_RELATIVES, "admission-status")), NOW, HOLD, "no-basis", null));
  }

  @Test
  void table_hasAtLeastFortyCases() {
    assertThat(table().count()).isGreaterThanOrEqualTo(40);
  }

  @Test
  void disabledRule_isNoBasis_andSaysWhy() {
    ConsentPolicy policy = new ConsentPolicy(new ConsentProperties(null, null,
        Map.of("current-treatment", new ConsentProperties.RuleSettings(false, null, null, null, null, null, null)))
        .legalBasisRules());
    PolicyDecision decision = policy.decide(toGp(RecipientKind.OWN_GP).withBasis("current-treatment").build(), List.of(), NOW);
    assertThat(decision.outcome()).isEqualTo(HOLD);
    assertThat(decision.notes()).anyMatch(n -> n.contains("disabled"));
  }

  @Test
  void holdExplainsWhichConsentFellShort() {
    ConsentRecord p3 = consent("c-p3", WARD_P3, Purpose.CARE_COORDINATION, "social-conditions");
    PolicyDecision decision = POLICY.decide(toWard("medication").build(), List.of(p3), NOW);
    assertThat(decision.notes()).containsExactly("consent c-p3: information category medication not covered");
  }

  // ---- fixtures ----

  private static Arguments row(String name, D d, List<ConsentRecord> consents, OffsetDateTime at, Outcome outcome,
      String basis, String consentId) {
    return Arguments.of(name, d.build(), consents, at, outcome, basis, consentId);
  }

  private static D toWard(String... categories) {
    String[] c = categories.length == 0 ? new String[] {"social-conditions", "current-treatment"} : categories;
    return D.to(WARD_P3, "Afsnit P3", null).withCategories(c);
  }

  private static D toGp(RecipientKind kind) {
    return D.to(GP, "Lægehuset Nordby", kind).withCategories("medication", "observations").withPurpose("current-treatment");
  }

  private static D toMunicipality() {
    return D.to(SOCIAL_PSYCHIATRY, "Nordby Socialpsykiatri", RecipientKind.SOCIAL_PSYCHIATRY)
        .withCategories("social-conditions", "substance-misuse").withPurpose("care-coordination");
  }

  private static D toRelative(String name) {
    return D.to(null, name, RecipientKind.RELATIVE).withCategories("admission-status").withPurpose("informing-relatives");
  }

  static ConsentRecord consent(String id, String sor, Purpose purpose, String... categories) {
    return consent(id, ConsentRecipient.organisation(sor, null), purpose, categories);
  }

  static ConsentRecord consent(String id, ConsentRecipient recipient, Purpose purpose, String... categories) {
    return new ConsentRecord(id, CITIZEN, Type.CONSENT, new Grantor(GrantorType.CITIZEN, null, null),
        List.of(recipient), categories(categories), purpose, GIVEN, GIVEN.plusYears(1), "Karen Holm", "Lise Jensen",
        ConsentForm.WRITTEN, GIVEN, null);
  }

  static ConsentRecord refusal(String id, ConsentRecipient recipient, String... categories) {
    return new ConsentRecord(id, CITIZEN, Type.REFUSAL, new Grantor(GrantorType.CITIZEN, null, null),
        List.of(recipient), categories(categories), null, GIVEN, null, "Karen Holm", null, ConsentForm.VERBAL, GIVEN, null);
  }


  static ConsentRecord withCitizen(ConsentRecord c, String cpr) {
    return new ConsentRecord(c.id(), cpr, c.type(), c.givenBy(), c.recipients(), c.categories(), c.purpose(),
        c.givenAt(), c.validUntil(), c.collectedBy(), c.witness(), c.form(), c.recordedAt(), c.revocation());
  }

  static ConsentRecord validUntil(ConsentRecord c, OffsetDateTime until) {
    return new ConsentRecord(c.id(), c.citizenCpr(), c.type(), c.givenBy(), c.recipients(), c.categories(), c.purpose(),
        c.givenAt(), until, c.collectedBy(), c.witness(), c.form(), c.recordedAt(), c.revocation());
  }

  static ConsentRecord byProxy(ConsentRecord c) {
    return new ConsentRecord(c.id(), c.citizenCpr(), c.type(), new Grantor(GrantorType.PROXY, "Jens Værge", "guardian (værge), Familieretshuset case 2026-123"),
        c.recipients(), c.categories(), c.purpose(), c.givenAt(), c.validUntil(), c.collectedBy(), c.witness(), c.form(),
        c.recordedAt(), c.revocation());
  }

  static ConsentRecord revokedAt(ConsentRecord c, OffsetDateTime at) {
    return c.revoked(new Revocation(at, "Karen Holm", "citizen phoned"));
  }

  private static Set<InformationCategory> categories(String... codes) {
    return Arrays.stream(codes)
        .map(c -> CodedValue.byCode(InformationCategory.class, c).orElseThrow())
        .collect(Collectors.toSet());
  }

  /** A disclosure under construction. */
  record D(String sor, String name, RecipientKind kind, List<String> categories, String purpose, String messageCategory,
      String basis, String justification) {

    static D to(String sor, String name, RecipientKind kind) {
      return new D(sor, name, kind, List.of(), "care-coordination", "psychiatry-social-disability", null, null);
    }

    D withCategories(String... c) {
      return new D(sor, name, kind, List.of(c), purpose, messageCategory, basis, justification);
    }

    D withPurpose(String p) {
      return new D(sor, name, kind, categories, p, messageCategory, basis, justification);
    }

    D withSor(String s) {
      return new D(s, name, kind, categories, purpose, messageCategory, basis, justification);
    }

    D withKind(RecipientKind k) {
      return new D(sor, name, k, categories, purpose, messageCategory, basis, justification);
    }

    D withMessageCategory(String m) {
      return new D(sor, name, kind, categories, purpose, m, basis, justification);
    }

    D withBasis(String b) {
      return new D(sor, name, kind, categories, purpose, messageCategory, b, justification);
    }

    D withJustification(String j) {
      return new D(sor, name, kind, categories, purpose, messageCategory, basis, j);
    }

    Disclosure build() {
      return new Disclosure(CITIZEN, new Disclosure.Recipient(sor, name, kind), categories, purpose, messageCategory,
          basis, justification);
    }
  }
}
