package dk.sektorbro.gateway.record;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Danish CPR numbers: ten digits, the first six a valid date (DDMMYY), the seventh together with
 * the year giving the century. The modulus-11 check is deliberately not applied: numbers issued
 * since 2007 need not satisfy it.
 */
public final class Cpr {

  private Cpr() {}

  /** Digits only: removes the conventional hyphen and surrounding blanks. */
  public static String normalise(String raw) {
    return raw == null ? null : raw.strip().replace("-", "");
  }

  public static boolean isValid(String cpr) {
    if (cpr == null || !cpr.matches("\\d{10}")) {
      return false;
    }
    return birthDate(cpr) != null;
  }

  /** Birth date encoded in the number, or null when the date does not exist. */
  public static LocalDate birthDate(String cpr) {
    int day = Integer.parseInt(cpr.substring(0, 2));
    int month = Integer.parseInt(cpr.substring(2, 4));
    int yy = Integer.parseInt(cpr.substring(4, 6));
    int centuryDigit = cpr.charAt(6) - '0';
    try {
      return LocalDate.of(century(centuryDigit, yy) + yy, month, day);
    } catch (DateTimeException e) {
      return null;
    }
  }

  // The CPR office's century table (7th digit and year).
  private static int century(int digit, int yy) {
    if (digit <= 3) {
      return 1900;
    }
    if (digit == 4 || digit == 9) {
      return yy <= 36 ? 2000 : 1900;
    }
    return yy <= 57 ? 2000 : 1800;
  }

  // Ten digits (or six, a hyphen, four) standing alone: what a CPR number looks like in a name.
  private static final Pattern WITHIN = Pattern.compile("(?<![0-9])([0-9]{6})-?[0-9]{4}(?![0-9])");

  /**
   * {@code text} with everything shaped like a CPR number masked as {@link #mask} does: for texts a
   * source chose (a file name, a record id) shown where CPR numbers are not.
   */
  public static String maskWithin(String text) {
    return text == null ? null : WITHIN.matcher(text).replaceAll("$1-xxxx");
  }

  /** Masked form for lists and screens: {@code 010203-xxxx}. */
  public static String mask(String cpr) {
    if (cpr == null || cpr.length() < 6) {
      return "xxxxxx-xxxx";
    }
    return cpr.substring(0, 6) + "-xxxx";
  }
}
