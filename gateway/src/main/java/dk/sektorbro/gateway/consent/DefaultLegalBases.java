package dk.sektorbro.gateway.consent;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The legal-basis rule table as domain.md §3.4 states it: who may use each exception, towards whom,
 * for what, and what it needs. Configuration ({@link ConsentProperties}) may narrow, widen or
 * switch off a rule per installation; docs/consent.md shows the table.
 */
public final class DefaultLegalBases {

  private static final String ANY = LegalBasisRule.ANY;

  /** Health information, as opposed to social conditions or substance misuse. */
  private static final Set<String> HEALTH_INFORMATION =
      Set.of(
          "admission-status",
          "current-treatment",
          "observations",
          "medication",
          "functional-status",
          "care-plans");

  private static final Set<String> HEALTH_PERSON_RECIPIENTS =
      Set.of("own-gp", "practising-specialist", "hospital", "home-nursing");

  private static final Set<String> HEALTH_PERSON_SENDERS =
      Set.of("hospital", "general-practice", "practising-specialist", "home-nursing");

  /** Authorities and health persons; not relatives, not "others" (insurers, employers). */
  private static final Set<String> AUTHORITIES_AND_HEALTH_PERSONS =
      Set.of(
          "organisation",
          "municipality",
          "social-psychiatry",
          "housing-support",
          "residential-facility",
          "home-care",
          "own-gp",
          "practising-specialist",
          "hospital",
          "home-nursing");

  private static final Set<String> PROFESSIONAL_SENDERS =
      Set.of(
          "hospital",
          "general-practice",
          "practising-specialist",
          "home-nursing",
          "home-care",
          "municipal-social-services");

  private DefaultLegalBases() {}

  public static Map<LegalBasis, LegalBasisRule> rules() {
    Map<LegalBasis, LegalBasisRule> rules = new EnumMap<>(LegalBasis.class);
    // 3.4.1 (source 001): health information needed for the current treatment, between health
    // persons (sender and recipient); the patient may object. Home care and social services are
    // not health persons (template A groups them with the social authorities, source 001).
    rules.put(
        LegalBasis.CURRENT_TREATMENT,
        new LegalBasisRule(
            LegalBasis.CURRENT_TREATMENT,
            true,
            HEALTH_PERSON_SENDERS,
            Set.of("current-treatment"),
            HEALTH_INFORMATION,
            HEALTH_PERSON_RECIPIENTS,
            Set.of(ANY),
            true,
            false,
            false));
    // 3.4.2 (source 001): the discharging hospital's letter to the citizen's own GP; the patient
    // may object.
    rules.put(
        LegalBasis.DISCHARGE_LETTER_GP,
        new LegalBasisRule(
            LegalBasis.DISCHARGE_LETTER_GP,
            true,
            Set.of("hospital"),
            Set.of("discharge-planning"),
            HEALTH_INFORMATION,
            Set.of("own-gp"),
            Set.of("discharge"),
            true,
            false,
            false));
    // 3.4.3 (source 001): §13c allows even purely private information, from the psychiatric
    // department to other authorities and private health persons, and back and between those
    // parties,
    // to conclude and supervise a discharge agreement (§13a) or coordination plan (§13b): the
    // disclosure must belong to such a plan, which the gateway knows. A coordination plan is made
    // without the patient's agreement (source 003), so a refusal does not stop it.
    rules.put(
        LegalBasis.PSYCHIATRY_ACT_13C,
        new LegalBasisRule(
            LegalBasis.PSYCHIATRY_ACT_13C,
            true,
            PROFESSIONAL_SENDERS,
            Set.of("discharge-planning", "care-coordination"),
            Set.of(ANY),
            AUTHORITIES_AND_HEALTH_PERSONS,
            Set.of(ANY),
            false,
            false,
            true));
    // 3.4.4 (source 002): acute danger to the citizen or others; never refusable, always justified
    // in writing so that the exception can be reviewed afterwards.
    rules.put(
        LegalBasis.ACUTE_DANGER,
        new LegalBasisRule(
            LegalBasis.ACUTE_DANGER,
            true,
            PROFESSIONAL_SENDERS,
            Set.of("safety"),
            Set.of(ANY),
            AUTHORITIES_AND_HEALTH_PERSONS,
            Set.of(ANY),
            false,
            true,
            false));
    return rules;
  }
}
