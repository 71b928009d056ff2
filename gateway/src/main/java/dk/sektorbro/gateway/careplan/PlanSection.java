package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.mapping.PlanField;

/**
 * The free-text parts of a plan, in the order of the forms (KIP form, discharge agreement,
 * coordination plan and care-course plan: source 003; crisis plan: source 001; docs/sources.md),
 * with their Danish heading and the information category they disclose (the consent check compares
 * these with the citizen's consents).
 */
public enum PlanSection {
  MENTAL_ILLNESS(PlanField.MENTAL_ILLNESS, "Psykisk lidelse", "current-treatment"),
  SUBSTANCE_MISUSE(
      PlanField.SUBSTANCE_MISUSE, "Misbrug (kendetegn, evt. diagnose)", "substance-misuse"),
  HOUSING(PlanField.HOUSING, "Bolig", "social-conditions"),
  FINANCES(PlanField.FINANCES, "Økonomi", "social-conditions"),
  FAMILY(PlanField.FAMILY, "Familie", "social-conditions"),
  NETWORK(PlanField.NETWORK, "Netværk", "social-conditions"),
  EMPLOYMENT(PlanField.EMPLOYMENT, "Beskæftigelse", "social-conditions"),
  ILLNESS_STATUS(PlanField.ILLNESS_STATUS, "Sygdom", "current-treatment"),
  MISUSE_STATUS(PlanField.MISUSE_STATUS, "Misbrug (rusmidlets funktion)", "substance-misuse"),
  OTHER_PLANS(PlanField.OTHER_PLANS, "Viden fra andre planer", "care-plans"),
  FUTURE_WISHES(PlanField.FUTURE_WISHES, "Ønsker for fremtiden", "care-plans"),
  EARLY_SIGNS(PlanField.EARLY_SIGNS, "Tidlige tegn", "current-treatment"),
  AFFECT_STRATEGIES(
      PlanField.AFFECT_STRATEGIES, "Strategier til håndtering af affekt", "current-treatment"),
  ADMISSION_CRITERIA(PlanField.ADMISSION_CRITERIA, "Indlæggelseskriterier", "admission-status"),
  ADMISSION_ALTERNATIVES(
      PlanField.ADMISSION_ALTERNATIVES, "Alternativer til indlæggelse", "care-plans"),
  TREATMENT_OFFERS(
      PlanField.TREATMENT_OFFERS, "Behandlingstilbud efter udskrivelse", "current-treatment"),
  SOCIAL_OFFERS(PlanField.SOCIAL_OFFERS, "Sociale tilbud efter udskrivelse", "social-conditions"),
  FOLLOW_UP(PlanField.FOLLOW_UP, "Opfølgning og statusmøder", "care-plans"),
  ADMISSION_ORIENTATION(
      PlanField.ADMISSION_ORIENTATION, "Kort orientering om indlæggelsen", "admission-status"),
  DISCHARGE_STATUS(
      PlanField.DISCHARGE_STATUS, "Forventet status og behov ved udskrivelse", "functional-status"),
  COORDINATION_NEEDS(
      PlanField.COORDINATION_NEEDS, "Behov for yderligere koordinering", "care-plans");

  private final PlanField field;
  private final String title;
  private final String informationCategory;

  PlanSection(PlanField field, String title, String informationCategory) {
    this.field = field;
    this.title = title;
    this.informationCategory = informationCategory;
  }

  public PlanField field() {
    return field;
  }

  public String title() {
    return title;
  }

  public String informationCategory() {
    return informationCategory;
  }
}
