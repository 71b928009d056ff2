package dk.sektorbro.gateway.consent;

/**
 * What a message discloses about the citizen. The sources have no coded taxonomy (domain.md §8.3):
 * these codes are the gateway's, taken from consent template A (parts 1–3, source 001) and kept
 * identical to the codes the mappings' {@code informationCategories} value maps produce.
 */
public enum InformationCategory implements CodedValue {
  /** Part 1: "information that I am admitted / in treatment". */
  ADMISSION_STATUS("admission-status", "That the citizen is admitted or in treatment"),
  /** Part 1 and 3: "information about the current treatment incl. examination results". */
  CURRENT_TREATMENT("current-treatment", "The current treatment"),
  OBSERVATIONS("observations", "Observations and examination results"),
  MEDICATION("medication", "Medication"),
  FUNCTIONAL_STATUS("functional-status", "Functional status and need of help"),
  /** Part 2: what social authorities, housing support and home care exchange. */
  SOCIAL_CONDITIONS("social-conditions", "Social conditions (housing, finances, network)"),
  SUBSTANCE_MISUSE("substance-misuse", "Substance misuse"),
  CARE_PLANS("care-plans", "Plans (treatment, action, crisis, coordination plans)"),
  /** Part 1: "you may contact my relatives if I fail to show up and cannot be reached". */
  CONTACT_WHEN_UNREACHABLE(
      "contact-when-unreachable",
      "Contact when the citizen does not show up and cannot be reached");

  private final String code;
  private final String display;

  InformationCategory(String code, String display) {
    this.code = code;
    this.display = display;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String display() {
    return display;
  }
}
