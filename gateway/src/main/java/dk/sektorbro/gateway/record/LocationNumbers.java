package dk.sektorbro.gateway.record;

import java.util.regex.Pattern;

/**
 * Check digits of the identifiers that address a postbox: GLN (EAN location number) and SOR code.
 */
public final class LocationNumbers {

  // Compiled once (String.matches compiles on every call; checked several times per message).
  private static final Pattern GLN = Pattern.compile("\\d{13}");
  private static final Pattern SOR = Pattern.compile("[1-9]\\d*100001600\\d");
  private static final Pattern WELL_FORMED_SOR = Pattern.compile("\\d{11,18}");

  private LocationNumbers() {}

  /** GS1 mod-10: 13 digits, weights 1 and 3 from the left, last digit is the check digit. */
  public static boolean isValidGln(String gln) {
    if (!hasGlnShape(gln)) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      int digit = gln.charAt(i) - '0';
      sum += (i % 2 == 0) ? digit : digit * 3;
    }
    int check = (10 - sum % 10) % 10;
    return check == gln.charAt(12) - '0';
  }

  /**
   * A real SOR code: item id + namespace {@code 1000016} + partition {@code 00} + Verhoeff check
   * digit (addressing.md 1.1). The namespace keeps SNOMED ids (same check digit) from passing.
   */
  public static boolean isValidSor(String sor) {
    return hasSorShape(sor) && Verhoeff.isValid(sor);
  }

  /** 13 digits, a GLN's shape, whatever its check digit. */
  public static boolean hasGlnShape(String gln) {
    return gln != null && GLN.matcher(gln).matches();
  }

  /**
   * A SOR code's shape, whatever its check digit: item id, namespace and partition, at most 18
   * digits.
   */
  public static boolean hasSorShape(String sor) {
    return sor != null && sor.length() <= 18 && SOR.matcher(sor).matches();
  }

  /** SOR codes are digit strings of at least 11 digits (dk-core invariant min-digits-sor). */
  public static boolean isWellFormedSor(String sor) {
    return sor != null && WELL_FORMED_SOR.matcher(sor).matches();
  }
}
