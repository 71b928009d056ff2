package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * One SOR unit in a snapshot: the raw register facts plus what the import computes ({@code
 * effectiveGln}: own location number, else the nearest ancestor's when inherited).
 */
public record RegistryUnit(
    String sorId,
    Level level,
    String parentSorId,
    String name,
    String ownerType,
    String institutionType,
    String shakId,
    String providerId,
    LocalDate validFrom,
    LocalDate validTo,
    List<String> replacedBy,
    boolean eanInherited,
    String ownGln,
    String effectiveGln,
    String effectiveGlnFrom) {

  public RegistryUnit {
    replacedBy = replacedBy == null ? List.of() : List.copyOf(replacedBy);
  }

  /** Closed units have a ToDate before today; a unit closing today still receives today. */
  public boolean activeOn(LocalDate day) {
    return validTo == null || !validTo.isBefore(day);
  }

  public RegistryUnit withEffectiveGln(String gln, String fromSorId) {
    return new RegistryUnit(
        sorId,
        level,
        parentSorId,
        name,
        ownerType,
        institutionType,
        shakId,
        providerId,
        validFrom,
        validTo,
        replacedBy,
        eanInherited,
        ownGln,
        gln,
        fromSorId);
  }

  /** SOR levels; the EER's IO/HI/OU spelling means the same as IE/SI/OE. */
  public enum Level {
    IE,
    SI,
    OE;

    public static Level parse(String code) {
      return switch (code == null ? "" : code.strip().toUpperCase(Locale.ROOT)) {
        case "IE", "IO" -> IE;
        case "SI", "HI" -> SI;
        case "OE", "OU" -> OE;
        default -> throw new IllegalArgumentException("unknown SOR level");
      };
    }
  }
}
