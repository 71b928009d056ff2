package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the fingerprint keeps: two messages share a template only if every value a rule can read is
 * the same, including which ids, fullUrls, references, texts and CPR numbers equal each other.
 */
class FingerprintTest {

  private static final String A = "1f0c8a3e-5b7d-4c2a-9e61-0d4b8f3a2c11";
  private static final String B = "7a2e4c91-3d5f-4b8e-8c07-6e1f9b2d4a53";
  private static final String C = "c3d9e2f0-8a41-4e6b-a5c2-9b7d1e0f3a84";

  private static String message(
      String bundleId,
      String patientUrl,
      String reference,
      String cpr1,
      String cpr2,
      String given,
      String family) {
    return """
        {"resourceType":"Bundle","id":"%s","entry":[
          {"fullUrl":"urn:uuid:%s","resource":{"resourceType":"Patient","id":"%s",
            "identifier":[{"system":"urn:oid:1.2.208.176.1.2","value":"%s"},
                          {"system":"urn:oid:1.2.208.176.1.2","value":"%s"}],
            "name":[{"given":["%s"],"family":"%s"}]}},
          {"fullUrl":"urn:uuid:%s","resource":{"resourceType":"Communication","subject":{"reference":"urn:uuid:%s"},
            "sent":"2026-12-06T05:00:00+01:00"}}]}
        """
        .formatted(
            bundleId, patientUrl, patientUrl, cpr1, cpr2, given, family, bundleId, reference);
  }

  private static String key(String message) {
    return Fingerprint.of(message).key();
  }

  @Test
  void otherValuesWithTheSameEqualities_shareATemplate() {
    String first = message(A, B, B, "0101900000", "0202900000", "Anna", "Hansen");
    String second = message(C, A, A, "0303900000", "0404900000", "Bodil", "Jensen");

    assertThat(key(second)).isEqualTo(key(first));
  }

  @Test
  void aReferenceToAnotherEntry_isAnotherTemplate() {
    String resolved = message(A, B, B, "0101900000", "0202900000", "Anna", "Hansen");
    String dangling = message(A, B, C, "0101900000", "0202900000", "Anna", "Hansen");
    String toTheBundle = message(A, B, A, "0101900000", "0202900000", "Anna", "Hansen");

    assertThat(key(dangling)).isNotEqualTo(key(resolved));
    assertThat(key(toTheBundle)).isNotEqualTo(key(resolved)).isNotEqualTo(key(dangling));
  }

  @Test
  void equalCprNumbersOrTexts_areAnotherTemplate() {
    String distinct = message(A, B, B, "0101900000", "0202900000", "Anna", "Hansen");
    String sameCpr = message(A, B, B, "0101900000", "0101900000", "Anna", "Hansen");
    String sameText = message(A, B, B, "0101900000", "0202900000", "Hansen", "Hansen");

    assertThat(key(sameCpr)).isNotEqualTo(key(distinct));
    assertThat(key(sameText)).isNotEqualTo(key(distinct));
  }

  @Test
  void theUuidVersionDigit_isKept() {
    String v4 = message(A, B, B, "0101900000", "0202900000", "Anna", "Hansen");
    String notV4 =
        message(A.replace("-4c2a-", "-1c2a-"), B, B, "0101900000", "0202900000", "Anna", "Hansen");

    assertThat(key(notV4)).isNotEqualTo(key(v4));
  }

  @Test
  void aValueThatFailsItsCheck_staysLiteral() {
    String good = message(A, B, B, "0101900000", "0202900000", "Anna", "Hansen");
    String badCpr = message(A, B, B, "0113900000", "0202900000", "Anna", "Hansen");
    String otherBadCpr = message(A, B, B, "0113900001", "0202900000", "Anna", "Hansen");

    assertThat(key(badCpr)).isNotEqualTo(key(good)).isNotEqualTo(key(otherBadCpr));
  }

  @Test
  void textsWithLineBreaksInside_shareATemplate_butNotWithOneAtTheEdge() {
    String oneLine = message(A, B, B, "0101900000", "0202900000", "Anna", "Hansen");
    String lines =
        message(A, B, B, "0101900000", "0202900000", "Anna\\nMarie", "Hansen\\r\\n\\tJensen");
    String otherLines = message(A, B, B, "0101900000", "0202900000", "Bodil\\n\\nX", "Holm\\nY");
    String trailing = message(A, B, B, "0101900000", "0202900000", "Anna\\n", "Hansen");

    assertThat(key(lines)).isEqualTo(key(oneLine)).isEqualTo(key(otherLines));
    assertThat(key(trailing)).isNotEqualTo(key(oneLine));
  }

  @Test
  void aCprValidInDkCore3ButNotInDkCore2_staysLiteral() {
    String leapYear = message(A, B, B, "2902041234", "0202900000", "Anna", "Hansen");
    String commonYear = message(A, B, B, "2902011234", "0202900000", "Anna", "Hansen");
    String otherCommonYear = message(A, B, B, "2902031234", "0202900000", "Anna", "Hansen");

    assertThat(key(leapYear))
        .isEqualTo(key(message(A, B, B, "0101900000", "0202900000", "Anna", "Hansen")));
    assertThat(key(commonYear)).isNotEqualTo(key(leapYear)).isNotEqualTo(key(otherCommonYear));
  }

  /**
   * The UUID scan finds exactly what the regex it replaced found with {@code find()}: leftmost,
   * non-overlapping, lower-case only, also next to other hex digits and dashes.
   */
  @Test
  void uuidsAreFoundAsTheRegexFindsThem() {
    Pattern uuid = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    List<String> texts =
        List.of(
            A,
            "urn:uuid:" + A,
            "a" + A,
            "0123456789" + A + "ff",
            A + B,
            A + "-" + B,
            A.substring(1) + "-" + C,
            A.toUpperCase(),
            A.replace('c', 'g') + " " + C,
            "--------" + A.substring(8) + "----" + B,
            "Patient/" + A + "/_history/" + A + "#" + C,
            "short-value",
            "-".repeat(80));
    for (String text : texts) {
      Fingerprint f = Fingerprint.of("{\"reference\":\"" + text + "\"}");
      List<String> found = new ArrayList<>();
      for (int i = 0; i < f.opaqueValues().size(); i++) {
        if (f.kind(i) == 'u') {
          found.add(f.opaqueValues().get(i));
        }
      }
      Set<String> expected = new LinkedHashSet<>();
      Matcher m = uuid.matcher(text);
      while (m.find()) {
        expected.add(m.group());
      }
      assertThat(found).as(text).containsExactlyElementsOf(expected);
      String literal = uuid.matcher(text).replaceAll("");
      assertThat(f.template().replaceAll("\u0001u[^\u0002]*\u0002", "")).as(text).contains(literal);
    }
  }
}
