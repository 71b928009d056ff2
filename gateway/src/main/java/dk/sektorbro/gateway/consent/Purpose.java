package dk.sektorbro.gateway.consent;

/**
 * Why information is disclosed. Mandatory on every consent (Nordvest template, source 001); codes
 * shared with the mappings' {@code purposes} value maps.
 */
public enum Purpose implements CodedValue {
  CURRENT_TREATMENT("current-treatment", "The current treatment course"),
  CARE_COORDINATION("care-coordination", "Coordination of care across sectors"),
  DISCHARGE_PLANNING("discharge-planning", "Discharge, discharge agreement or coordination plan"),
  /** Acute danger to the citizen or others (source 002). */
  SAFETY("safety", "Safety of the citizen or others in an acute situation"),
  /** Relatives: keeping the family informed as the citizen wishes (source 001). */
  INFORMING_RELATIVES("informing-relatives", "Informing relatives");

  private final String code;
  private final String display;

  Purpose(String code, String display) {
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
