package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.record.LocationNumbers;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * R1 (normalise) and R2/R3 (classify, check digits) for the identifiers that address a postbox.
 * Pure functions: no registry, no configuration.
 */
public final class Identifiers {

  /**
   * GLN system prefixes seen in the wild (addressing.md 1.2): both gs1.org spellings and the OID.
   */
  private static final List<String> GLN_PREFIXES =
      List.of("https://www.gs1.org/gln", "http://www.gs1.org/gln", "urn:oid:1.3.88", "0088:");

  private static final List<String> SOR_PREFIXES =
      List.of("urn:oid:1.2.208.176.1.1", "http://ehealth.sundhed.dk/fhir/NamingSystem/sor");

  /**
   * All-zeros and all-nines GLN, the all-nines SOR and the fake SOR codes of the MedCom IG
   * examples.
   */
  static final Set<String> PLACEHOLDERS =
      Set.of(
          "0000000000000",
          "9999999999994",
          "99999999999",
          "543210987654321",
          "123456789012345",
          "12345678901");

  private Identifiers() {}

  /**
   * R1: trims, drops a known system prefix (with its "|" or "/" separator) and the spaces, dashes
   * and dots people type into numbers. Returns null for blank input.
   */
  public static String normalise(String raw) {
    if (raw == null) {
      return null;
    }
    String value = raw.strip();
    for (String prefix : concat(GLN_PREFIXES, SOR_PREFIXES)) {
      if (value.regionMatches(true, 0, prefix, 0, prefix.length())) {
        value = value.substring(prefix.length()).replaceFirst("^[|/:]", "");
        break;
      }
    }
    value = value.replaceAll("[\\s\\-.]", "");
    return value.isEmpty() ? null : value;
  }

  /**
   * R2: what a normalised value is. {@code preferGln} breaks the one real tie, a 13-digit value
   * valid both as GLN and as SOR, by the field it was written in.
   */
  public static IdentifierKind classify(String value, boolean preferGln) {
    if (value == null) {
      return IdentifierKind.UNRECOGNISED;
    }
    if (PLACEHOLDERS.contains(value)) {
      return IdentifierKind.PLACEHOLDER;
    }
    boolean gln = LocationNumbers.isValidGln(value);
    boolean sor = LocationNumbers.isValidSor(value);
    if (gln && (preferGln || !sor)) {
      return IdentifierKind.GLN;
    }
    if (sor) {
      return IdentifierKind.SOR;
    }
    if (value.matches("\\d{11,18}") && value.matches("[1-9]\\d*100001600\\d")) {
      return IdentifierKind.SOR_BAD_CHECK_DIGIT;
    }
    if (value.matches("57\\d{11}")) {
      return IdentifierKind.GLN_BAD_CHECK_DIGIT;
    }
    if (value.matches("0\\d{1,8}")) {
      return IdentifierKind.PROVIDER_NUMBER; // ydernummer: leading zero, at most 9 digits
    }
    if (value.matches("[1-9]\\d{7}")) {
      return IdentifierKind.CVR;
    }
    if (value.matches("[0-9A-Za-z]{4,7}")) {
      return IdentifierKind.SHAK;
    }
    if (value.matches("\\d{13}")) {
      return IdentifierKind.GLN_BAD_CHECK_DIGIT;
    }
    if (value.matches("\\d{11,18}")) {
      return IdentifierKind.SOR_BAD_CHECK_DIGIT;
    }
    return IdentifierKind.UNRECOGNISED;
  }

  /** Provider numbers are compared without leading zeros (the NSP importer strips them). */
  public static String providerKey(String providerNumber) {
    if (providerNumber == null) {
      return null;
    }
    String stripped = providerNumber.strip().replaceFirst("^0+", "");
    return stripped.isEmpty() ? null : stripped;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
