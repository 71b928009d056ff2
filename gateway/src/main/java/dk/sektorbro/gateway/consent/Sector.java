package dk.sektorbro.gateway.consent;

import java.util.Locale;

/**
 * The sector of a SOR unit, read from the registry: hospital (region), practice (GP, specialist),
 * or municipality. It is the registry's check on what a mapping declares about its sender and
 * what a record declares about its recipient.
 */
public enum Sector {
  HOSPITAL,
  PRACTICE,
  MUNICIPALITY;

  /** SNOMED CT "hospital" as SOR's institution type. */
  static final String SNOMED_HOSPITAL = "22232009";
  /** SNOMED CT "general practice premises" (practising doctors) as SOR's institution type. */
  static final String SNOMED_GENERAL_PRACTICE = "394761003";

  /** The sector an institution type names, if it names one. */
  public static Sector ofInstitutionType(String type) {
    if (type == null) {
      return null;
    }
    return switch (type.strip()) {
      case SNOMED_HOSPITAL -> HOSPITAL;
      case SNOMED_GENERAL_PRACTICE -> PRACTICE;
      default -> null;
    };
  }

  /** The sector an owner type (on the IE) names: a municipality or region owns its units. */
  public static Sector ofOwnerType(String type) {
    if (type == null) {
      return null;
    }
    return switch (type.strip().toLowerCase(Locale.ROOT)) {
      case "kommune" -> MUNICIPALITY;
      case "region" -> HOSPITAL;
      default -> null;
    };
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
