package dk.sektorbro.gateway.record;

import java.util.regex.Pattern;

/**
 * The Verhoeff check digit, as SNOMED CT uses it for SCTIDs. SOR codes are built the same way (item
 * id + namespace 1000016 + partition 00 + check digit): the algorithm is inferred from real SOR
 * data (addressing.md §1.1), it catches every single-digit error and adjacent swap.
 */
public final class Verhoeff {

  private static final int[][] MULTIPLY = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
    {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
    {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}
  };
  private static final int[][] PERMUTE = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
    {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}
  };
  private static final Pattern AT_LEAST_TWO_DIGITS = Pattern.compile("\\d{2,}");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final int[] INVERSE = {0, 4, 3, 2, 1, 5, 6, 7, 8, 9};

  private Verhoeff() {}

  /** True when the last digit of {@code digits} is its Verhoeff check digit. */
  public static boolean isValid(String digits) {
    if (digits == null || !AT_LEAST_TWO_DIGITS.matcher(digits).matches()) {
      return false;
    }
    return checksum(digits, 0) == 0;
  }

  /** The check digit to append to {@code digits}. */
  public static int checkDigit(String digits) {
    if (digits == null || !DIGITS.matcher(digits).matches()) {
      throw new IllegalArgumentException("digits only");
    }
    return INVERSE[checksum(digits, 1)];
  }

  private static int checksum(String digits, int offset) {
    int c = 0;
    int length = digits.length();
    for (int i = 0; i < length; i++) {
      int digit = digits.charAt(length - 1 - i) - '0';
      c = MULTIPLY[c][PERMUTE[(i + offset) % 8][digit]];
    }
    return c;
  }
}
