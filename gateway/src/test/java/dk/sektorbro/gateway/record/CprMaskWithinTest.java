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
}
