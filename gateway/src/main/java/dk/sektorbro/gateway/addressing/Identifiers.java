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
  private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]+");

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
    if (hasNonAsciiDigit(value)) {
      // The patterns below use ASCII \\d, so such a value was "unrecognised" with no reason given;
      // converting it would make a number nobody typed (and nothing downstream compares them).
      return IdentifierKind.NON_ASCII_DIGITS;
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
    // Any other digit string: neither kind. It used to be called a SOR code with a bad check digit
    // when 11-18 digits long, so a GLN stored as a number (614141000012, its leading zero lost) was
    // refused in the EAN field as "invalid SOR check digit".
    if (ASCII_DIGITS.matcher(value).matches()) {
      return IdentifierKind.NUMBER_NOT_SOR_OR_GLN;
    }
    return IdentifierKind.UNRECOGNISED;
  }

  /**
   * Why a value in a SOR field ({@code glnField} false) or an EAN field cannot address a postbox,
   * naming what is actually wrong with it; null for a kind the field can use.
   */
  public static String problem(IdentifierKind kind, String value, boolean glnField) {
    String field = glnField ? "EAN field" : "SOR field";
    return switch (kind) {
      case GLN, SOR, SHAK, PROVIDER_NUMBER -> null;
      case SOR_BAD_CHECK_DIGIT ->
          field
              + (glnField ? ": holds a SOR code (not an EAN/GLN) whose" : ":")
              + " invalid SOR check digit (Verhoeff); not corrected";
      case GLN_BAD_CHECK_DIGIT ->
          glnField
              ? field + ": invalid EAN/GLN check digit (GS1 check digit, mod-10); not corrected"
              : field
                  + ": not a SOR code (no namespace 1000016 and partition 00) and not a valid"
                  + " EAN/GLN either (13 digits, but the GS1 check digit is wrong)";
      case PLACEHOLDER -> field + ": a placeholder or example code, never a real postbox";
      case NON_ASCII_DIGITS ->
          field
              + ": holds digits other than 0-9 (e.g. Arabic-Indic or full-width digits);"
              + " refused, not converted";
      case NUMBER_NOT_SOR_OR_GLN -> number(field, value, glnField);
      case CVR -> field + ": holds a CVR number (8 digits), which does not address a postbox";
      case UNRECOGNISED ->
          field
              + ": not a SOR code, EAN/GLN, SHAK or provider number (characters other than"
              + " digits and letters)";
    };
  }

  private static String number(String field, String value, boolean glnField) {
    String digits = value.length() + " digits";
    if (!glnField) {
      return field
          + ": not a SOR code (a SOR code ends in namespace 1000016, partition 00 and a Verhoeff"
          + " check digit) and not a 13-digit EAN/GLN ("
          + digits
          + ")";
    }
    String zeros = "0".repeat(Math.max(0, 13 - value.length()));
    boolean lostZeros =
        value.length() < 13 && !zeros.isEmpty() && LocationNumbers.isValidGln(zeros + value);
    return field
        + ": "
        + digits
        + ", an EAN/GLN has exactly 13"
        + (lostZeros
            ? "; with the leading zero"
                + (zeros.length() > 1 ? "s" : "")
                + " it lost (stored as a number?) it would be valid: send all 13 digits, the"
                + " gateway does not add them"
            : "");
  }

  private static boolean hasNonAsciiDigit(String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (Character.isDigit(c) && (c < '0' || c > '9')) {
        return true;
      }
      i += Character.charCount(c);
    }
    return false;
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
