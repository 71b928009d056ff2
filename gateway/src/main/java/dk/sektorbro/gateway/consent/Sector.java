package dk.sektorbro.gateway.consent;

import java.util.Locale;

/**
 * The sector of a SOR unit, read from the registry: hospital (region), practice (GP, specialist),
 * or municipality. It is the registry's check on what a mapping declares about its sender and what
 * a record declares about its recipient. Which registry facts name which sector is configuration
 * ({@link SectorRules}).
 */
public enum Sector {
  HOSPITAL,
  PRACTICE,
  MUNICIPALITY;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
