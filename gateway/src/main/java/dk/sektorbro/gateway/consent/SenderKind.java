package dk.sektorbro.gateway.consent;

/**
 * What the sending unit is, as far as the legal-basis rules care: who may use which exception
 * (domain.md §3.4). Never taken from a free field of the record: the source's mapping declares it
 * ({@code senderKind:}) and the SOR registry must agree on the sector ({@link Sector}).
 */
public enum SenderKind implements CodedValue {
  HOSPITAL(
      "hospital", "Hospital or hospital unit (incl. regional psychiatry)", Sector.HOSPITAL, true),
  GENERAL_PRACTICE("general-practice", "General practice", Sector.PRACTICE, true),
  PRACTISING_SPECIALIST("practising-specialist", "Practising specialist", Sector.PRACTICE, true),
  HOME_NURSING(
      "home-nursing", "Municipal home nursing (hjemmesygepleje)", Sector.MUNICIPALITY, true),
  /**
   * Template A groups home care with the social authorities, not with health persons (source 001).
   */
  HOME_CARE("home-care", "Municipal home care (hjemmepleje)", Sector.MUNICIPALITY, false),
  MUNICIPAL_SOCIAL_SERVICES(
      "municipal-social-services",
      "Municipal social services (social psychiatry, caseworkers, housing support)",
      Sector.MUNICIPALITY,
      false);

  private final String code;
  private final String display;
  private final Sector sector;
  private final boolean healthPerson;

  SenderKind(String code, String display, Sector sector, boolean healthPerson) {
    this.code = code;
    this.display = display;
    this.sector = sector;
    this.healthPerson = healthPerson;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String display() {
    return display;
  }

  /**
   * The sector the SOR registry must place the sending unit in, by default ({@link SectorRules} may
   * override it).
   */
  public Sector sector() {
    return sector;
  }

  /** A health person in the sense of the Health Act §41(2)(1) exception. */
  public boolean healthPerson() {
    return healthPerson;
  }
}
