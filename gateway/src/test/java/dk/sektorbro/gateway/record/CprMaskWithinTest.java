package dk.sektorbro.gateway.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a source-chosen text (file name, record id, a reason quoting them) shows of a CPR number.
 */
class CprMaskWithinTest {

  @Test
  void cprNumbersWithAndWithoutHyphen_areMasked_otherNumbersAreNot() {
    assertThat(Cpr.maskWithin("borger-0101701234.json")).isEqualTo("borger-010170-xxxx.json");
    assertThat(Cpr.maskWithin("record 010170-1234 from source x"))
        .isEqualTo("record 010170-xxxx from source x");
    assertThat(Cpr.maskWithin("0101701234")).isEqualTo("010170-xxxx");
    // SOR codes (15 digits), GLNs (13), dates, times and shorter numbers stay as they are.
    String other = "SOR 990031000016002 GLN 5790009900030 at 2026-12-07T23:50:00 id SP-2026-000101";
    assertThat(Cpr.maskWithin(other)).isEqualTo(other);
    assertThat(Cpr.maskWithin(null)).isNull();
  }

  /**
   * The other ways a CPR number is written (a space, the hyphen elsewhere, dots) and the
   * replacement CPRs of citizens without one (X-eCPR, D-eCPR: dk-core's invariants, MedCom tec-04's
   * 0703921VJ5): before, only ten digits or six-hyphen-four were masked.
   */
  @Test
  void everyWayACprOrReplacementCprIsWritten_isMasked() {
    assertThat(Cpr.maskWithin("borger 010170 1234.json")).isEqualTo("borger 010170-xxxx.json");
    assertThat(Cpr.maskWithin("journal-0101-701234")).isEqualTo("journal-010170-xxxx");
    assertThat(Cpr.maskWithin("cpr 01.01.70-1234 via mail")).isEqualTo("cpr 010170-xxxx via mail");
    assertThat(Cpr.maskWithin("01 01 70 12 34")).isEqualTo("010170-xxxx");
    assertThat(Cpr.maskWithin("ecpr-0703921VJ5.json")).isEqualTo("ecpr-070392-xxxx.json");
    assertThat(Cpr.maskWithin("d-ecpr 070392-0AB1")).isEqualTo("d-ecpr 070392-xxxx");
    assertThat(Cpr.maskWithin("2902001234")).isEqualTo("290200-xxxx");
  }

  /** Ten digits with separators that cannot be a CPR number: no day and month in front. */
  @Test
  void timesPhoneNumbersAndIsoDates_withSeparators_areNotMasked() {
    String other =
        "at 2026-12-07 23:50 phone +45 99 88 77 66, case 2026-000101, nr 3213701234, KO-2026-AB12";
    assertThat(Cpr.maskWithin(other)).isEqualTo(other);
    // Next to a number that is no CPR, the CPR number is still found.
    assertThat(Cpr.maskWithin("2026-12-07 0101701234")).isEqualTo("2026-12-07 010170-xxxx");
  }
}
