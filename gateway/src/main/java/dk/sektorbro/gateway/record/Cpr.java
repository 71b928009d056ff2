package dk.sektorbro.gateway.record;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
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

  // What a CPR number looks like in a text a source chose: ten digits standing alone, a separator
  // (hyphen, space, dot, slash) allowed between any two of them, as people and case systems write
  // them (010170-1234, 010170 1234, 0101-701234, 01.01.70-1234). Or a replacement CPR, X-eCPR or
  // D-eCPR (dk-core 3.4.0 invariants x-ecpr/d-ecpr: the birth date, a digit, two letters, a digit,
  // e.g. 0703921VJ5). Only a first six digits that are a day and month are masked, so that times,
  // ISO dates and phone numbers are left alone.
  private static final String SEP = "[-./\\s]?";

  private static final Pattern WITHIN =
      Pattern.compile(
          "(?<![0-9])([0-9](?:"
              + SEP
              + "[0-9]){5})"
              + SEP
              + "(?:[0-9](?:"
              + SEP
              + "[0-9]){3}(?![0-9])|[0-9][A-Za-z]{2}[0-9](?![0-9A-Za-z]))");

  /**
   * {@code text} with everything shaped like a CPR number or a replacement CPR masked as {@link
   * #mask} does: for texts a source chose (a file name, a record id) shown where CPR numbers are
   * not.
   */
  public static String maskWithin(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = WITHIN.matcher(text);
    StringBuilder masked = new StringBuilder();
    int done = 0;
    int from = 0;
    // A match whose first six digits are no date is passed over by one character only, so that a
    // CPR number it overlapped is still found.
    while (from < text.length() && m.find(from)) {
      String birth = m.group(1).replaceAll("[^0-9]", "");
      if (isDayAndMonth(birth)) {
        masked.append(text, done, m.start()).append(birth).append("-xxxx");
        done = m.end();
        from = m.end();
      } else {
        from = m.start() + 1;
      }
    }
    return masked.append(text, done, text.length()).toString();
  }

  // DDMM of the first six digits: a day that exists in some year (29 February included).
  private static boolean isDayAndMonth(String sixDigits) {
    try {
      LocalDate.of(
          2000,
          Integer.parseInt(sixDigits.substring(2, 4)),
          Integer.parseInt(sixDigits.substring(0, 2)));
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  /** Masked form for lists and screens: {@code 010203-xxxx}. */
  public static String mask(String cpr) {
    if (cpr == null || cpr.length() < 6) {
      return "xxxxxx-xxxx";
    }
    return cpr.substring(0, 6) + "-xxxx";
  }
}
