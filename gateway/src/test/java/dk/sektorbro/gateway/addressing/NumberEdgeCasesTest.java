package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.AddressResolverTest.WARD;
import static dk.sektorbro.gateway.addressing.AddressResolverTest.WARD_GLN;
import static dk.sektorbro.gateway.addressing.Codes.sor;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.IE;
import static dk.sektorbro.gateway.addressing.RegistryUnit.Level.SI;
import static dk.sektorbro.gateway.addressing.TestRegistry.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Location numbers at the edges (R1–R3): GLNs with leading zeros, numbers that lost them, SOR codes
 * of every length, separators, numbers valid as both, wrong check digits and digits that are not
 * ASCII. Each refusal must name what is actually wrong.
 */
class NumberEdgeCasesTest {

  /** A valid GLN with a leading zero (GS1 prefix 061, United States). */
  static final String LEADING_ZERO_GLN = "0614141000012";

  /** A valid GLN with three leading zeros. */
  static final String ZEROS_GLN = "0000000123457";

  static final String OWNER = sor(160);
  static final String CLINIC = sor(161);

  private static RegistrySnapshot registry() {
    return new TestRegistry()
        .unit(IE, OWNER, null, "Foreign Owner")
        .unit(
            SI,
            CLINIC,
            OWNER,
            "Clinic with a leading-zero GLN",
            LEADING_ZERO_GLN,
            false,
            null,
            null,
            List.of(),
            null,
            null)
        .build();
  }

  private static Resolution resolve(RegistrySnapshot snapshot, String sor, String gln) {
    return new AddressResolver(AddressingPolicy.DEFAULTS)
        .resolve(
            new Organisation(sor, gln, null),
            MessageTypes.CARE_COMMUNICATION,
            snapshot,
            TODAY,
            false);
  }

  @Test
  void gln_withLeadingZeros_isValid_andAddressesItsPostbox() {
    assertThat(LocationNumbers.isValidGln(LEADING_ZERO_GLN)).isTrue();
    assertThat(LocationNumbers.isValidGln(ZEROS_GLN)).isTrue();
    assertThat(Identifiers.classify(LEADING_ZERO_GLN, true)).isEqualTo(IdentifierKind.GLN);
    assertThat(Identifiers.classify(LEADING_ZERO_GLN, false)).isEqualTo(IdentifierKind.GLN);
    RegistrySnapshot s = registry();
    Resolution both = resolve(s, CLINIC, LEADING_ZERO_GLN);
    assertThat(both.outcome()).isEqualTo(Outcome.UNCHANGED);
    Resolution eanOnly = resolve(s, null, LEADING_ZERO_GLN);
    assertThat(eanOnly.outcome()).isEqualTo(Outcome.FIXED);
    assertThat(eanOnly.resolved().sor()).isEqualTo(CLINIC);
    Resolution sorOnly = resolve(s, CLINIC, null);
    assertThat(sorOnly.resolved().gln()).isEqualTo(LEADING_ZERO_GLN);
  }

  @Test
  void gln_thatLostItsLeadingZero_isRefusedAsTooShort_notAsABadSorCheckDigit() {
    // Stored as a number somewhere upstream: 0614141000012 became 614141000012 (12 digits).
    Resolution r = resolve(registry(), CLINIC, "614141000012");
    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(r.reason())
        .doesNotContain("SOR check digit")
        .contains("EAN field")
        .contains("12 digits")
        .contains("13")
        .contains("leading zero");
    // Never completed by itself: the padded number is not guessed into the message.
    assertThat(r.resolved()).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        // value in the EAN field; what the reason must say
        "614141000012;12 digits",
        "57900001203;11 digits",
        "57900001203145;14 digits",
        "5790000120315;GS1 check digit",
        "0614141000013;GS1 check digit",
        "325371000016007;SOR code",
      })
  void eanField_refusals_nameWhatIsWrong(String value, String expected) {
    Resolution r = resolve(registry(), null, value);
    assertThat(r.outcome()).as(value).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).as(value).contains("EAN field").contains(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        // value in the SOR field; what the reason must say
        "325371000016007;invalid SOR check digit",
        "11000016003;invalid SOR check digit",
        "123456781000016004;invalid SOR check digit",
        "123456789012;not a SOR code",
        "1234567890123;not a SOR code",
        "1234567890123456;not a SOR code",
      })
  void sorField_refusals_nameWhatIsWrong(String value, String expected) {
    Resolution r = resolve(registry(), value, null);
    assertThat(r.outcome()).as(value).isEqualTo(Outcome.FAILED);
    assertThat(r.reason()).as(value).contains("SOR field").contains(expected);
  }

  @Test
  void sorCodes_ofEveryLength_areRecognised() {
    // The shortest possible SOR code (11 digits) up to 18 digits (xs:long).
    assertThat(Identifiers.classify("11000016002", false)).isEqualTo(IdentifierKind.SOR);
    assertThat(Identifiers.classify("311000016009", false)).isEqualTo(IdentifierKind.SOR);
    assertThat(Identifiers.classify(WARD, false)).isEqualTo(IdentifierKind.SOR);
    String longest = "12345678" + "100001600";
    longest += dk.sektorbro.gateway.record.Verhoeff.checkDigit(longest);
    assertThat(longest).hasSize(18);
    assertThat(Identifiers.classify(longest, false)).isEqualTo(IdentifierKind.SOR);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        // full-width digits (U+FF10..) and Arabic-Indic digits (U+0660..) of a valid GLN
        "\uFF15\uFF17\uFF19\uFF10\uFF10\uFF10\uFF10\uFF11\uFF12\uFF10\uFF13\uFF11\uFF14",
        "\u0665\u0667\u0669\u0660\u0660\u0660\u0660\u0661\u0662\u0660\u0663\u0661\u0664",
        // one Arabic-Indic digit among ASCII ones
        "579000012031\u0664",
        // Devanagari digits of a valid SOR code
        "\u0969\u0968\u096B\u0969\u096D\u0967\u0966\u0966\u0966\u0966\u0967\u096C\u0966\u0966\u096C",
      })
  void nonAsciiDigits_areRefusedByName_neverConverted(String value) {
    assertThat(Identifiers.normalise(value)).isEqualTo(value);
    assertThat(Identifiers.classify(value, true)).isEqualTo(IdentifierKind.NON_ASCII_DIGITS);
    Resolution inEan = resolve(registry(), null, value);
    assertThat(inEan.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(inEan.reason()).contains("EAN field").contains("digits other than 0-9");
    Resolution inSor = resolve(registry(), value, WARD_GLN);
    assertThat(inSor.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(inSor.reason()).contains("SOR field").contains("digits other than 0-9");
  }

  @Test
  void separators_inALeadingZeroGln_areDropped_andTheZeroKept() {
    for (String typed : List.of("0614-1410-00012", " 0614141 000012 ", "0.614141.000012")) {
      Resolution r = resolve(registry(), CLINIC, typed);
      assertThat(r.outcome()).as(typed).isEqualTo(Outcome.FIXED);
      assertThat(r.resolved().gln()).as(typed).isEqualTo(LEADING_ZERO_GLN);
      assertThat(r.trail().get(0).rule()).isEqualTo("R1");
    }
  }

  @Test
  void sender_withAGlnThatLostItsLeadingZero_isRefusedWithTheSameReason() {
    var finding =
        SenderCheck.check(new Organisation(CLINIC, "614141000012", null), registry(), TODAY)
            .orElseThrow();
    assertThat(finding.fatal()).isTrue();
    assertThat(finding.step().message()).contains("12 digits").doesNotContain("SOR check digit");
  }

  /**
   * EanLocationCode is an xs:long in the SOR schema, so an export may write a leading-zero GLN as a
   * 12-digit number. It was rejected ("own EAN location number fails the GS1 check digit") and the
   * unit had no postbox; it is the same number as the 13-digit GLN.
   */
  @Test
  void sorXml_eanLocationCodeAsANumberWithoutItsLeadingZero_isTheThirteenDigitGln() {
    String xml =
        "<SorTree><InstitutionOwnerEntity><InstitutionOwner><SorIdentifier>"
            + OWNER
            + "</SorIdentifier><EntityName>Owner</EntityName></InstitutionOwner>"
            + "<HealthInstitutionEntity><HealthInstitution><SorIdentifier>"
            + CLINIC
            + "</SorIdentifier><EntityName>Clinic</EntityName><OptionalEanLocationCode>"
            + "<EanLocationCodeEntity><EanLocationCode>614141000012</EanLocationCode>"
            + "<EdiMessageTypeCollection><ReceivesMessageType>FDIS91</ReceivesMessageType>"
            + "</EdiMessageTypeCollection></EanLocationCodeEntity></OptionalEanLocationCode>"
            + "</HealthInstitution></HealthInstitutionEntity></InstitutionOwnerEntity></SorTree>";
    SnapshotBuilder b = new SnapshotBuilder();
    new SorXmlFormat()
        .read(
            new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            b,
            new ImportProgress("t", "SOR_XML", java.time.OffsetDateTime.now()));
    SnapshotBuilder.Result r = b.build();
    assertThat(r.rejections()).isEmpty();
    assertThat(r.units())
        .filteredOn(u -> u.sorId().equals(CLINIC))
        .singleElement()
        .satisfies(u -> assertThat(u.effectiveGln()).isEqualTo(LEADING_ZERO_GLN));
    // Only a value that can be a GLN's number is padded: 11 or 12 digits (GS1 prefixes 001-019).
    assertThat(SorUnitDraft.xsLong13("12345")).isEqualTo("12345");
    assertThat(SorUnitDraft.xsLong13("14141000012")).isEqualTo("0014141000012");
    assertThat(SorUnitDraft.xsLong13("5790000120314")).isEqualTo("5790000120314");
  }
}
