package dk.sektorbro.gateway.consent;

/**
 * Kinds of recipient named on consent template A (parts 1–3) plus a specific organisation. Only
 * kinds that identify one recipient for a given citizen ({@link #OWN_GP}, a named {@link
 * #RELATIVE}) may stand without a SOR code; every other kind names its unit by SOR code, because
 * "the municipality" alone is exactly the ambiguity that sends letters astray (source 004).
 */
public enum RecipientKind implements CodedValue {
  ORGANISATION("organisation", "A specific organisation or unit (by SOR code)", true, false),
  RELATIVE("relative", "A named relative or closest person", false, false),
  MUNICIPALITY("municipality", "Municipality (authority, caseworker)", true, false),
  SOCIAL_PSYCHIATRY("social-psychiatry", "Social psychiatry of a municipality", true, false),
  HOUSING_SUPPORT("housing-support", "Housing support (bostøtte, SEL §85)", true, false),
  RESIDENTIAL_FACILITY("residential-facility", "Residential facility (bosted)", true, false),
  HOME_CARE("home-care", "Home care (hjemmepleje)", true, false),
  OWN_GP("own-gp", "The citizen's own general practitioner", false, true),
  PRACTISING_SPECIALIST("practising-specialist", "Practising specialist", true, true),
  HOSPITAL("hospital", "Hospital or hospital unit (incl. psychiatry)", true, true),
  HOME_NURSING("home-nursing", "Home nursing (hjemmesygepleje)", true, true),
  OTHER("other", "Others (insurance, pension company, employer ...)", true, false);

  private final String code;
  private final String display;
  private final boolean sorRequired;
  private final boolean healthProfessional;

  RecipientKind(String code, String display, boolean sorRequired, boolean healthProfessional) {
    this.code = code;
    this.display = display;
    this.sorRequired = sorRequired;
    this.healthProfessional = healthProfessional;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String display() {
    return display;
  }

  /** True when a consent must name this recipient by SOR code to be matched at all. */
  public boolean sorRequired() {
    return sorRequired;
  }

  /**
   * Health persons in the sense of template A part 3 (home nursing is one, home care is not: source
   * 001).
   */
  public boolean healthProfessional() {
    return healthProfessional;
  }

  /**
   * The sector the SOR registry must place a recipient of this kind in, or null when any sector
   * fits (an organisation, a relative, others): "own GP" that resolves to a hospital ward is not
   * the citizen's GP, whatever the record says.
   */
  public Sector expectedSector() {
    return switch (this) {
      case OWN_GP, PRACTISING_SPECIALIST -> Sector.PRACTICE;
      case HOSPITAL -> Sector.HOSPITAL;
      // A health person, unlike the municipality's other units: the registry must say so.
      case HOME_NURSING -> Sector.HOME_NURSING;
      case MUNICIPALITY, SOCIAL_PSYCHIATRY, HOUSING_SUPPORT, HOME_CARE -> Sector.MUNICIPALITY;
      default -> null;
    };
  }
}
