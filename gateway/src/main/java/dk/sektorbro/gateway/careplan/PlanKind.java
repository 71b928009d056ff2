package dk.sektorbro.gateway.careplan;

import java.util.Arrays;
import java.util.Optional;

/**
 * The plan kinds of domain.md §4, coded in the gateway's CodeSystem {@code
 * https://sektorbro.dk/fhir/CodeSystem/sektorbro-plan-kind} (profiles/). The two Psychiatry Act
 * plans carry the §13c legal basis; every other kind needs the citizen's consent to be shared.
 */
public enum PlanKind {
  KIP("kip", "Koordinerende indsatsplan", null),
  CRISIS_PLAN("crisis-plan", "Kriseplan", null),
  DISCHARGE_AGREEMENT(
      "discharge-agreement", "Udskrivningsaftale (psykiatrilovens § 13 a)", "psychiatry-act-13c"),
  COORDINATION_PLAN(
      "coordination-plan", "Koordinationsplan (psykiatrilovens § 13 b)", "psychiatry-act-13c"),
  CARE_COURSE_PLAN("care-course-plan", "Plejeforløbsplan", null);

  public static final String SYSTEM = "https://sektorbro.dk/fhir/CodeSystem/sektorbro-plan-kind";

  private final String code;
  private final String display;
  private final String legalBasis;

  PlanKind(String code, String display, String legalBasis) {
    this.code = code;
    this.display = display;
    this.legalBasis = legalBasis;
  }

  public String code() {
    return code;
  }

  /** Danish name, as in the header of every rendering. */
  public String display() {
    return display;
  }

  /** The consent.LegalBasis code the plan is shared under, or null when it needs a consent. */
  public String legalBasis() {
    return legalBasis;
  }

  public static Optional<PlanKind> byCode(String code) {
    return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
  }
}
