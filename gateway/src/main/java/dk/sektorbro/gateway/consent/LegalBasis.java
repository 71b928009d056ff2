package dk.sektorbro.gateway.consent;

/**
 * Legal bases that allow disclosure without consent (domain.md §3.4). A record claims one by code;
 * whether the claim holds is decided by the configured {@link LegalBasisRule}.
 */
public enum LegalBasis implements CodedValue {
  CURRENT_TREATMENT(
      "current-treatment",
      "Health Act §41(2)(1): necessary for the current treatment, between health persons"),
  DISCHARGE_LETTER_GP(
      "discharge-letter-gp", "Health Act §41(2)(2): discharge letter to the citizen's own GP"),
  PSYCHIATRY_ACT_13C(
      "psychiatry-act-13c",
      "Mental Health Act §13c: discharge agreement (§13a) or coordination plan (§13b)"),
  ACUTE_DANGER(
      "acute-danger", "Acute danger to the citizen or others, with a written justification");

  private final String code;
  private final String display;

  LegalBasis(String code, String display) {
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
