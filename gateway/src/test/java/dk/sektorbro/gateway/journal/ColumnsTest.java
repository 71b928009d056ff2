package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ColumnsTest {

  @Test
  void valuesThatFit_stayAsTheyAre() {
    assertThat(Columns.fit("nordby-socialpsykiatri", Columns.SOURCE))
        .isEqualTo("nordby-socialpsykiatri");
    assertThat(Columns.fit(null, Columns.SOURCE)).isNull();
  }

  @Test
  void tooLong_becomesAReferenceThatFits_masksDigitRuns_andIdentifiesTheOriginal() {
    String a = "2802527034" + "y".repeat(500);
    String b = "2802527034" + "y".repeat(499) + "z";
    String ref = Columns.fit(a, Columns.SOURCE);
    assertThat(ref)
        .hasSizeLessThanOrEqualTo(Columns.SOURCE)
        .startsWith("##########yy")
        .doesNotContain("2802527034");
    assertThat(ref)
        .isNotEqualTo(Columns.fit(b, Columns.SOURCE))
        .isEqualTo(Columns.fit(a, Columns.SOURCE));
    assertThat(Columns.reference("a\u0000b")).startsWith("a?b…");
  }

  @Test
  void prose_isCutWithAnEllipsis() {
    assertThat(Columns.cut("x".repeat(5000), Columns.REASON)).hasSize(Columns.REASON).endsWith("…");
  }
}
