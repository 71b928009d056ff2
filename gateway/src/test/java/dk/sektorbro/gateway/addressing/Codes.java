package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.record.Verhoeff;

/** Fictitious but check-digit-valid SOR codes and GLNs for tests. */
final class Codes {

  private Codes() {}

  /** item id + namespace 1000016 + partition 00 + Verhoeff check digit. */
  static String sor(int item) {
    String body = item + "100001600";
    return body + Verhoeff.checkDigit(body);
  }

  /** 579 + 9 digits + GS1 mod-10 check digit. */
  static String gln(int number) {
    String body = "579" + String.format("%09d", number);
    int sum = 0;
    for (int i = 0; i < 12; i++) {
      int digit = body.charAt(i) - '0';
      sum += i % 2 == 0 ? digit : 3 * digit;
    }
    return body + (10 - sum % 10) % 10;
  }
}
