package dk.sektorbro.gateway.consent;

import java.util.Locale;

/**
 * The sector of a SOR unit, read from the registry: hospital (region), practice (GP, specialist),
 * municipality, or home nursing within the municipality. It is the registry's check on what a
 * mapping declares about its sender and what a record declares about its recipient. Which registry
 * facts name which sector is configuration ({@link SectorRules}).
 */
public enum Sector {
  HOSPITAL,
  PRACTICE,
  MUNICIPALITY,
  /**
   * Municipal home nursing, a health person (template A, source 001), as the registry confirms it:
   * part of the municipality, but unlike its social psychiatry or home care. No SOR institution
   * type names it by default; an installation configures the ones that do.
   */
  HOME_NURSING;

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether a unit of this sector is in {@code expected}: home nursing is in the municipality. */
  public boolean within(Sector expected) {
    return this == expected || (this == HOME_NURSING && expected == MUNICIPALITY);
  }
}
