package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fields of one SOR XML unit element as they stream past, keyed by element and parent name
 * (SorIdentifier means the unit's id directly under the unit, a successor under
 * ReplacedByEntityCollection; ToDate closes the unit under its SorStatus, the location under the
 * EanLocationCodeEntity's).
 */
final class SorUnitDraft {

  private final RegistryUnit.Level level;
  private final String parentSorId;
  private String sorId;
  private String name;
  private String ownerType;
  private String institutionType;
  private String shakId;
  private String providerId;
  private LocalDate validFrom;
  private LocalDate validTo;
  private final List<String> replacedBy = new ArrayList<>();
  private boolean inherited;
  private boolean inLocation;
  private String gln;
  private boolean onlyInternal;
  private boolean nonActive;
  private LocalDate glnValidFrom;
  private LocalDate glnValidTo;
  private String supplier;
  private final Set<String> receives = new LinkedHashSet<>();
  private final Set<String> unreadableFlags = new LinkedHashSet<>();
  private String unreadableUnitDate;
  private String unreadableLocationDate;

  SorUnitDraft(RegistryUnit.Level level, String parentSorId) {
    this.level = level;
    this.parentSorId = parentSorId;
  }

  String sorId() {
    return sorId;
  }

  void startLocation() {
    inLocation = true;
  }

  void field(String element, String parent, String value) {
    switch (element) {
      case "SorIdentifier" -> {
        if ("ReplacedByEntityCollection".equals(parent)) {
          replacedBy.add(value);
        } else if (isUnitElement(parent)) {
          sorId = value;
        }
      }
      case "EntityName" -> name = isUnitElement(parent) ? value : name;
      case "OwnerType" -> ownerType = value;
      case "InstitutionType", "UnitType" -> institutionType = value;
      case "ShakIdentifier" -> shakId = value;
      case "ProviderIdentifier" -> providerId = value;
      // A flag that cannot be read counts as the safe side: no inheritance, internal-only, not
      // active (the unit then has no usable postbox instead of a wrong one), and is reported.
      case "EntityInheritedIndicator" -> inherited = flag(element, value, false);
      case "EanLocationCode" -> gln = xsLong13(value);
      case "OnlyInternalIndicator" -> onlyInternal = flag(element, value, true);
      case "NonActiveIndicator" -> nonActive = flag(element, value, true);
      case "CommunicationSupplier" -> supplier = value;
      case "ReceivesMessageType" -> receives.add(value.toUpperCase(Locale.ROOT));
      case "FirstFromDate" -> {
        if (!"SorStatus".equals(parent)) {
          return;
        }
        if (!inLocation) {
          validFrom = date(element, value, false);
        } else if (gln != null) {
          glnValidFrom = date(element, value, true); // a location registered before it opens
        }
      }
      case "ToDate" -> {
        if (inLocation && gln != null) {
          glnValidTo = date(element, value, true);
        } else {
          validTo = date(element, value, false);
        }
      }
      case "EanLocationCodeEntity" -> inLocation = false;
      default -> {}
    }
  }

  /**
   * A SorStatus date. One that cannot be read was read as none: a unit with a garbled ToDate
   * counted as open, a location with a garbled FirstFromDate as in force. Now it is reported, and
   * the unit is left out (with its sub-units: an unknown closing date could hide a closed unit),
   * the location read as not active.
   */
  private LocalDate date(String element, String value, boolean location) {
    LocalDate date = SorXmlFormat.date(value);
    if (date == null && !value.isBlank()) {
      if (location) {
        unreadableLocationDate = element;
      } else {
        unreadableUnitDate = element;
      }
    }
    return date;
  }

  /**
   * An xs:boolean: "true", "false", "1" or "0" (XML Schema part 2, 3.2.2). Boolean.parseBoolean
   * read "1" as false, so a postbox flagged NonActiveIndicator 1 or OnlyInternalIndicator 1 was
   * addressed as an active, external one.
   */
  private boolean flag(String element, String value, boolean unreadable) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> true;
      case "false", "0" -> false;
      default -> {
        unreadableFlags.add(element);
        yield unreadable;
      }
    };
  }

  /**
   * EanLocationCode is an xs:long in the SOR schema: a number, so an export may write a GLN with
   * leading zeros (a foreign GS1 prefix such as 061) without them. A GLN is 13 digits: the value is
   * written back with its zeros (the same number), and only then check-digit tested.
   */
  static String xsLong13(String value) {
    String digits = value.strip();
    if (digits.startsWith("+")) {
      digits = digits.substring(1);
    }
    // GS1 prefixes 001-019 give at most two leading zeros (000 is not a GLN company prefix).
    if (digits.length() < 11
        || digits.length() >= 13
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return value;
    }
    return "0".repeat(13 - digits.length()) + digits;
  }

  private static boolean isUnitElement(String parent) {
    return "InstitutionOwner".equals(parent)
        || "HealthInstitution".equals(parent)
        || "OrganizationalUnit".equals(parent);
  }

  void emit(SnapshotBuilder builder) {
    if (sorId == null || name == null) {
      builder.reject(
          "unit " + (sorId == null ? "without SorIdentifier" : sorId),
          "SorIdentifier and EntityName are required");
      return;
    }
    if (unreadableUnitDate != null) {
      builder.reject(
          "unit " + sorId,
          "SorStatus/"
              + unreadableUnitDate
              + " is not a date (yyyy-mm-dd); the unit and its sub-units are left out");
      return;
    }
    unreadableFlags.forEach(
        element ->
            builder.reject(
                "unit " + sorId,
                element + " is not an xs:boolean (true, false, 1, 0); read as the safe value"));
    if (unreadableLocationDate != null) {
      builder.reject(
          "unit " + sorId,
          "the location's SorStatus/"
              + unreadableLocationDate
              + " is not a date (yyyy-mm-dd); the location is read as not active");
      nonActive = true;
    }
    boolean added =
        builder.unit(
            new RegistryUnit(
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
                inherited && gln == null,
                gln,
                null,
                null));
    if (added && gln != null) {
      builder.location(
          new RegistryLocation(
              gln,
              sorId,
              onlyInternal,
              nonActive,
              glnValidFrom,
              glnValidTo,
              receives,
              Set.of(),
              supplier,
              null));
    }
  }
}
