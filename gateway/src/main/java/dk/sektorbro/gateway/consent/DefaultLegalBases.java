package dk.sektorbro.gateway.consent;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The legal-basis rules as domain.md §3.4 states them; configuration may narrow or switch them off. */
public final class DefaultLegalBases {

  private static final String ANY = LegalBasisRule.ANY;

  /** Health information, as opposed to social conditions or substance misuse. */
  private static final Set<String> HEALTH_INFORMATION = Set.of("admission-status", "current-treatment",
      "observations", "medication", "functional-status", "care-plans");

  private static final Set<String> HEALTH_PERSONS = Set.of("own-gp", "practising-specialist", "hospital",
      "home-nursing");

  private DefaultLegalBases() {}

  public static Map<LegalBasis, LegalBasisRule> rules() {
    Map<LegalBasis, LegalBasisRule> rules = new EnumMap<>(LegalBasis.class);
    // 3.4.1 (001:3304-3308): health information needed for the current treatment, between health
    // persons; the patient may object.
    rules.put(LegalBasis.CURRENT_TREATMENT, new LegalBasisRule(LegalBasis.CURRENT_TREATMENT, true,
        Set.of("current-treatment"), HEALTH_INFORMATION, HEALTH_PERSONS, Set.of(ANY), true, false));
    // 3.4.2 (001:3310-3312): the discharge letter to the citizen's own GP; the patient may object.
    rules.put(LegalBasis.DISCHARGE_LETTER_GP, new LegalBasisRule(LegalBasis.DISCHARGE_LETTER_GP, true,
        Set.of("discharge-planning"), HEALTH_INFORMATION, Set.of("own-gp"), Set.of("discharge"), true, false));
    // 3.4.3 (001:4322-4327): §13c allows even purely private information, to authorities and
    // private health persons, for a discharge agreement or coordination plan. A coordination plan
    // is made without the patient's agreement (003:795-806), so a refusal does not stop it.
    rules.put(LegalBasis.PSYCHIATRY_ACT_13C, new LegalBasisRule(LegalBasis.PSYCHIATRY_ACT_13C, true,
        Set.of("discharge-planning", "care-coordination"), Set.of(ANY), Set.of(ANY), Set.of(ANY), false, false));
    // 3.4.4 (002:624-628): acute danger to the citizen or others; never refusable, always justified
    // in writing so that the exception can be reviewed afterwards.
    rules.put(LegalBasis.ACUTE_DANGER, new LegalBasisRule(LegalBasis.ACUTE_DANGER, true,
        Set.of("safety"), Set.of(ANY), Set.of(ANY), Set.of(ANY), false, true));
    return rules;
  }
}
