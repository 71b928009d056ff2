package dk.sektorbro.gateway.addressing;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.LocationNumbers;
import dk.sektorbro.gateway.record.Verhoeff;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** R1–R3 on bare values: normalisation, classification and both check digits. */
class IdentifiersTest {

  @Test
  void verhoeff_acceptsRealSorCodes_andRejectsEverySingleDigitChange() {
    for (String real :
        new String[] {"325371000016006", "325251000016005", "311000016009", "11000016002"}) {
      assertThat(Verhoeff.isValid(real)).as(real).isTrue();
      for (int i = 0; i < real.length(); i++) {
        for (char d = '0'; d <= '9'; d++) {
          if (d != real.charAt(i)) {
            String typo = real.substring(0, i) + d + real.substring(i + 1);
            assertThat(Verhoeff.isValid(typo)).as(typo).isFalse();
          }
        }
      }
    }
    assertThat(Verhoeff.checkDigit("32537100001600")).isEqualTo(6);
  }

  @Test
  void sor_needsTheSorNamespace_soSnomedIdsDoNotPass() {
    assertThat(LocationNumbers.isValidSor("325371000016006")).isTrue();
    // Danish SNOMED extension id: Verhoeff-valid, but namespace 1000005.
    assertThat(Verhoeff.isValid("550671000005100")).isTrue();
    assertThat(LocationNumbers.isValidSor("550671000005100")).isFalse();
  }

  @Test
  void gln_withCheckDigitZero_isValid_unlikeTheEerProfileCheck() {
    assertThat(LocationNumbers.isValidGln("5790000126330")).isTrue();
    assertThat(LocationNumbers.isValidGln("5790002401428")).isTrue();
    assertThat(LocationNumbers.isValidGln("5790000120315")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "' 3253-7100-0016-006 ';325371000016006",
        "0088:5790000120314;5790000120314",
        "https://www.gs1.org/gln/5790000120314;5790000120314",
        "http://www.gs1.org/gln|5790000120314;5790000120314",
        "urn:oid:1.3.88|5790000120314;5790000120314",
        "urn:oid:1.2.208.176.1.1|325371000016006;325371000016006",
        "579.000.012.0314;5790000120314",
        "urn:oid:1.3.88:5790000120314;5790000120314",
        "HTTPS://WWW.GS1.ORG/GLN//5790000120314;/5790000120314",
        "|5790000120314;|5790000120314",
        "0088:|5790000120314;5790000120314",
        "ab_cd;ab_cd"
      })
  void normalise_dropsPrefixesAndSeparators(String raw, String expected) {
    assertThat(Identifiers.normalise(raw)).isEqualTo(expected);
  }

  @Test
  void normalise_dropsWhatRegexWhitespaceIs_andKeepsOtherSpaces() {
    // Regex \s is [ \t\n\x0B\f\r]; a no-break space is not typed as a separator and stays.
    assertThat(Identifiers.normalise("579\t000\n012\u000B0\f31\r4")).isEqualTo("5790000120314");
    assertThat(Identifiers.normalise("579\u00A00000120314")).isEqualTo("579\u00A00000120314");
    assertThat(Identifiers.normalise(" - . ")).isNull();
  }

  @Test
  void normalise_blankIsNull() {
    assertThat(Identifiers.normalise("  ")).isNull();
    assertThat(Identifiers.normalise(null)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "5790000120314,GLN",
    "5790000126330,GLN",
    "5790000120315,GLN_BAD_CHECK_DIGIT",
    "325371000016006,SOR",
    "325371000016007,SOR_BAD_CHECK_DIGIT",
    "8801,SHAK",
    "880103,SHAK",
    "13010A,SHAK",
    "077704,PROVIDER_NUMBER",
    "29190925,CVR",
    "0000000000000,PLACEHOLDER",
    "9999999999994,PLACEHOLDER",
    "99999999999,PLACEHOLDER",
    "543210987654321,PLACEHOLDER",
    "123456789012345,PLACEHOLDER",
    "12345678901,PLACEHOLDER",
    "12,NUMBER_NOT_SOR_OR_GLN",
    "1234567,SHAK",
    "123456789,NUMBER_NOT_SOR_OR_GLN",
    "012345678,PROVIDER_NUMBER",
    "0123456789,NUMBER_NOT_SOR_OR_GLN",
    "5712345678901,GLN_BAD_CHECK_DIGIT",
    "1234567890123,GLN_BAD_CHECK_DIGIT",
    "123456789012,NUMBER_NOT_SOR_OR_GLN",
    "1234567890123456789,NUMBER_NOT_SOR_OR_GLN",
    "\u0665\u0667\u0669\u0660\u0660\u0660\u0660\u0661\u0662\u0660\u0663\u0661\u0664,NON_ASCII_DIGITS",
    "4444444444445,GLN_BAD_CHECK_DIGIT",
    "12-34,UNRECOGNISED"
  })
  void classify_neverTreatsOneKindAsAnother(String value, IdentifierKind kind) {
    assertThat(Identifiers.classify(value, false)).isEqualTo(kind);
  }

  @Test
  void classify_aValueValidAsBothGlnAndSor_followsItsField() {
    // Find a 13-digit SOR code that is also a valid GLN: the field it was written in decides.
    String both = null;
    for (int item = 100; item < 1000 && both == null; item++) {
      String body = item + "100001600";
      String candidate = body + Verhoeff.checkDigit(body);
      if (LocationNumbers.isValidGln(candidate)) {
        both = candidate;
      }
    }
    assertThat(both).isNotNull();
    assertThat(Identifiers.classify(both, true)).isEqualTo(IdentifierKind.GLN);
    assertThat(Identifiers.classify(both, false)).isEqualTo(IdentifierKind.SOR);
  }

  @Test
  void providerKey_stripsLeadingZeros() {
    assertThat(Identifiers.providerKey("077704")).isEqualTo("77704");
    assertThat(Identifiers.providerKey("77704")).isEqualTo("77704");
    assertThat(Identifiers.providerKey("000")).isNull();
  }

  @Test
  void messageTypes_knowEveryUriSpellingOfCareCommunication() {
    var type = MessageTypes.find("CareCommunication").orElseThrow();
    assertThat(type).isSameAs(MessageTypes.find("care-communication-message").orElseThrow());
    assertThat(type.sorEdiCode()).isEqualTo("FDIS91");
    assertThat(
            type.acceptedBy(
                Set.of(),
                Set.of(
                    "urn:dk:healthcare:medcom:messaging:fhir:structuredefinition::carecommunication-message"
                        + "##urn:dk:medcom:fhir:carecommunication-message::5.0")))
        .isTrue();
    assertThat(type.acceptedBy(Set.of("XDIS91", "FDIS20"), Set.of())).isFalse();
  }
}
