package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.record.LocationNumbers;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
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

  private static final List<String> PREFIXES = concat(GLN_PREFIXES, SOR_PREFIXES);

  // Compiled once: the gates, the consent facts and the delivery recheck normalise and classify
  // several identifiers per message, and String.matches/replaceAll compile their pattern on every
  // call (issue 14). The same patterns, so the same results.
  private static final Pattern PREFIX_SEPARATOR = Pattern.compile("^[|/:]");
  private static final Pattern TYPED_SEPARATORS = Pattern.compile("[\\s\\-.]");
  private static final Pattern LEADING_ZEROS = Pattern.compile("^0+");
  private static final Pattern GLN_SHAPE = Pattern.compile("57\\d{11}");
  private static final Pattern PROVIDER_NUMBER = Pattern.compile("0\\d{1,8}");
  private static final Pattern CVR = Pattern.compile("[1-9]\\d{7}");
  private static final Pattern SHAK = Pattern.compile("[0-9A-Za-z]{4,7}");

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
    for (String prefix : PREFIXES) {
      if (value.regionMatches(true, 0, prefix, 0, prefix.length())) {
        value = PREFIX_SEPARATOR.matcher(value.substring(prefix.length())).replaceFirst("");
        break;
      }
    }
    value = TYPED_SEPARATORS.matcher(value).replaceAll("");
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
    if (LocationNumbers.hasSorShape(value)) {
      return IdentifierKind.SOR_BAD_CHECK_DIGIT;
    }
    if (GLN_SHAPE.matcher(value).matches()) {
      return IdentifierKind.GLN_BAD_CHECK_DIGIT;
    }
    if (PROVIDER_NUMBER.matcher(value).matches()) {
      return IdentifierKind.PROVIDER_NUMBER; // ydernummer: leading zero, at most 9 digits
    }
    if (CVR.matcher(value).matches()) {
      return IdentifierKind.CVR;
    }
    if (SHAK.matcher(value).matches()) {
      return IdentifierKind.SHAK;
    }
    if (LocationNumbers.hasGlnShape(value)) {
      return IdentifierKind.GLN_BAD_CHECK_DIGIT;
    }
    if (LocationNumbers.isWellFormedSor(value)) {
      return IdentifierKind.SOR_BAD_CHECK_DIGIT;
    }
    return IdentifierKind.UNRECOGNISED;
  }

  /** Provider numbers are compared without leading zeros (the NSP importer strips them). */
  public static String providerKey(String providerNumber) {
    if (providerNumber == null) {
      return null;
    }
    String stripped = LEADING_ZEROS.matcher(providerNumber.strip()).replaceFirst("");
    return stripped.isEmpty() ? null : stripped;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
