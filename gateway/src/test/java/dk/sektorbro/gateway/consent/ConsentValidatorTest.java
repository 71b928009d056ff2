package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.consent.ConsentInput.GivenBy;
import dk.sektorbro.gateway.consent.ConsentInput.Recipient;
import dk.sektorbro.gateway.platform.web.Issue;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the registry names its field and rule; a valid consent defaults to 1 year. */
class ConsentValidatorTest {

  static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-23T10:00:00+01:00");
  static final String GIVEN = "2026-11-20T09:00:00+01:00";

  final ConsentValidator validator = new ConsentValidator();

  static ConsentInput valid() {
    return new ConsentInput(
        null,
        "050345-5012",
        "consent",
        new GivenBy("citizen", null, null),
        List.of(new Recipient("organisation", "990031000016002", "Afsnit P3", null, null)),
        List.of("social-conditions", "current-treatment"),
        "care-coordination",
        GIVEN,
        null,
        "Karen Holm",
        "Lise Jensen",
        "written",
        null);
  }

  @Test
  void validConsent_isAccepted_withCprNormalised_andOneYearValidity() {
    ConsentValidator.Result result = validator.validate(valid(), "id-1", NOW);
    assertThat(result.issues()).isEmpty();
    assertThat(result.record().citizenCpr()).isEqualTo("0503455012");
    assertThat(result.record().validUntil()).isEqualTo(OffsetDateTime.parse(GIVEN).plusYears(1));
    assertThat(result.record().recordedAt()).isEqualTo(NOW);
  }

  @Test
  void validityOfExactlyOneYear_isAccepted() {
    ConsentInput in = with(valid(), i -> copy(i, "validUntil", "2027-11-20T09:00:00+01:00"));
    assertThat(validator.validate(in, "id", NOW).issues()).isEmpty();
  }

  /**
   * One year is a Danish calendar year (docs/consent.md: given 10:00, valid through 10:00 a year
   * later, Danish time), also when summer time starts or ends on different days in the two years:
   * given 2026-10-30 10:00 (winter time, +01:00), the anniversary 2027-10-30 is still summer time
   * (+02:00). The offset kept from the given time made it 11:00 Danish time, an hour more.
   */
  @Test
  void oneYear_isTheDanishCalendarYear_acrossSummerTime() {
    String given = "2026-10-30T10:00:00+01:00";
    ConsentInput in = with(valid(), i -> copy(i, "givenAt", given));
    assertThat(validator.validate(in, "id", NOW).record().validUntil())
        .isEqualTo(OffsetDateTime.parse("2027-10-30T10:00:00+02:00"));
    ConsentInput halfAnHourMore =
        with(
            valid(),
            i -> copy(copy(i, "givenAt", given), "validUntil", "2027-10-30T10:30:00+02:00"));
    assertThat(validator.validate(halfAnHourMore, "id", NOW).issues())
        .extracting(Issue::field, Issue::rule)
        .containsExactly(Tuple.tuple("validUntil", "max-one-year"));
    // The other way round (given in summer time, the anniversary in winter time) the Danish year
    // is an hour longer than a year of the given offset: the earlier end stands, as the FHIR
    // profile's sbc-3 (start + 1 year) reads it.
    // 2027-10-30 is summer time, 2028-10-30 winter time (summer time ends on the 31st in 2027 and
    // on the 29th in 2028).
    ConsentInput summer = with(valid(), i -> copy(i, "givenAt", "2027-10-30T10:00:00+02:00"));
    OffsetDateTime end = validator.validate(summer, "id", NOW.plusYears(1)).record().validUntil();
    assertThat(end).isAtSameInstantAs(OffsetDateTime.parse("2028-10-30T10:00:00+02:00"));
  }

  /**
   * A blank validUntil is an absent one: the one-year default, not a consent without an end (which
   * the database refuses, so the API answered 500).
   */
  @Test
  void blankValidUntil_isTheOneYearDefault() {
    for (String blank : List.of("", "  ")) {
      ConsentInput in = with(valid(), i -> copy(i, "validUntil", blank));
      ConsentValidator.Result result = validator.validate(in, "id", NOW);
      assertThat(result.issues()).isEmpty();
      assertThat(result.record().validUntil())
          .as("validUntil \"%s\"", blank)
          .isEqualTo(OffsetDateTime.parse(GIVEN).plusYears(1));
    }
  }

  @Test
  void refusal_needsNeitherPurposeNorCategories_andLastsUntilRevoked() {
    ConsentInput in =
        with(
            valid(),
            i -> copy(copy(copy(i, "type", "refusal"), "purpose", null), "categories", null));
    ConsentValidator.Result result = validator.validate(in, "id", NOW);
    assertThat(result.issues()).isEmpty();
    assertThat(result.record().validUntil()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void violation_isNamedByFieldAndRule(
      String name, UnaryOperator<ConsentInput> change, String field, String rule) {
    ConsentValidator.Result result = validator.validate(change.apply(valid()), "id", NOW);
    assertThat(result.record()).isNull();
    assertThat(result.issues())
        .extracting(Issue::field, Issue::rule)
        .contains(Tuple.tuple(field, rule));
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of(
            "no purpose", op(i -> copy(i, "purpose", null)), "purpose", "purpose-required"),
        Arguments.of(
            "unknown purpose", op(i -> copy(i, "purpose", "research")), "purpose", "known-code"),
        Arguments.of(
            "validity a day over 1 year",
            op(i -> copy(i, "validUntil", "2027-11-21T09:00:00+01:00")),
            "validUntil",
            "max-one-year"),
        Arguments.of(
            "validity ends before given",
            op(i -> copy(i, "validUntil", "2026-11-19T09:00:00+01:00")),
            "validUntil",
            "after-given-at"),
        Arguments.of(
            "unknown category",
            op(i -> copy(i, "categories", List.of("diagnoses"))),
            "informationCategories[0]",
            "known-code"),
        Arguments.of(
            "no categories",
            op(i -> copy(i, "categories", List.of())),
            "informationCategories",
            "required"),
        Arguments.of("invalid CPR", op(i -> copy(i, "cpr", "320145-5012")), "citizenCpr", "cpr"),
        Arguments.of("no CPR", op(i -> copy(i, "cpr", null)), "citizenCpr", "required"),
        Arguments.of(
            "given in the future",
            op(i -> copy(i, "givenAt", "2026-12-24T09:00:00+01:00")),
            "givenAt",
            "not-in-future"),
        Arguments.of(
            "given-at not a date-time",
            op(i -> copy(i, "givenAt", "20-11-2026")),
            "givenAt",
            "date-time"),
        Arguments.of(
            "no recipients", op(i -> copy(i, "recipients", List.of())), "recipients", "required"),
        Arguments.of(
            "municipality without SOR",
            op(
                i ->
                    copy(
                        i,
                        "recipients",
                        List.of(new Recipient("social-psychiatry", null, null, null, "Nordby")))),
            "recipients[0].sor",
            "recipient-sor-required"),
        // A relative is a person, matched by name: with a SOR code, the consent "to my daughter"
        // covered that unit (the code is what a recipient is matched by), e.g. a ward.
        Arguments.of(
            "relative with a SOR code",
            op(
                i ->
                    copy(
                        i,
                        "recipients",
                        List.of(
                            new Recipient(
                                "relative", "990031000016002", "Ida Testesen", "daughter", null)))),
            "recipients[0].sor",
            "relative-no-sor"),
        Arguments.of(
            "malformed SOR",
            op(
                i ->
                    copy(
                        i,
                        "recipients",
                        List.of(new Recipient("organisation", "12345", null, null, null)))),
            "recipients[0].sor",
            "sor-format"),
        Arguments.of(
            "consent to own GP without the practice",
            op(
                i ->
                    copy(
                        i, "recipients", List.of(new Recipient("own-gp", null, null, null, null)))),
            "recipients[0].sor",
            "own-gp-sor-required"),
        Arguments.of(
            "unnamed relative",
            op(
                i ->
                    copy(
                        i,
                        "recipients",
                        List.of(new Recipient("relative", null, null, "daughter", null)))),
            "recipients[0].name",
            "relative-name"),
        Arguments.of(
            "unknown recipient kind",
            op(
                i ->
                    copy(
                        i,
                        "recipients",
                        List.of(new Recipient("neighbour", null, "X", null, null)))),
            "recipients[0].kind",
            "known-code"),
        Arguments.of(
            "proxy without authority",
            op(i -> copy(i, "givenBy", new GivenBy("proxy", "Jens Værge", null))),
            "givenBy.authority",
            "proxy-authority"),
        Arguments.of(
            "no collector", op(i -> copy(i, "collectedBy", null)), "collectedBy", "required"),
        Arguments.of("unknown form", op(i -> copy(i, "form", "telepathic")), "form", "known-code"),
        // Longer than the registry's columns: refused naming the field, not a database error (500).
        Arguments.of(
            "collector's name over 300 characters",
            op(i -> copy(i, "collectedBy", "K".repeat(301))),
            "collectedBy",
            "max-length"),
        Arguments.of(
            "witness over 300 characters",
            op(i -> copy(i, "witness", "L".repeat(301))),
            "witness",
            "max-length"),
        Arguments.of(
            "proxy's authority over 1000 characters",
            op(i -> copy(i, "givenBy", new GivenBy("proxy", "Jens Værge", "a".repeat(1001)))),
            "givenBy.authority",
            "max-length"),
        Arguments.of(
            "relative's relation over 100 characters",
            op(
                i ->
                    copy(
                        i,
                        "recipients",
                        List.of(new Recipient("relative", null, "Ida", "d".repeat(101), null)))),
            "recipients[0].relation",
            "max-length"),
        Arguments.of("unknown type", op(i -> copy(i, "type", "maybe")), "type", "known-type"));
  }

  // The columns count characters, not UTF-16 units: 300 emoji fit.
  @Test
  void textOfExactlyTheColumnsLength_isAccepted_countedInCharacters() {
    ConsentInput in = with(valid(), i -> copy(i, "collectedBy", "\uD83D\uDE00".repeat(300)));
    assertThat(validator.validate(in, "id", NOW).issues()).isEmpty();
  }

  @Test
  void revocation_withTooLongTexts_isRefusedNamingTheFields() {
    ConsentRecord consent = validator.validate(valid(), "id", NOW).record();
    ConsentValidator.Result result =
        validator.revocation(
            consent, new ConsentInput.Revocation(null, "K".repeat(301), "n".repeat(4001)), NOW);
    assertThat(result.issues())
        .extracting(Issue::field, Issue::rule)
        .containsExactly(Tuple.tuple("revokedBy", "max-length"), Tuple.tuple("note", "max-length"));
  }

  @Test
  void revocation_beforeGivenAt_isRefused() {
    ConsentRecord consent = validator.validate(valid(), "id", NOW).record();
    ConsentValidator.Result result =
        validator.revocation(
            consent,
            new ConsentInput.Revocation("2026-11-01T09:00:00+01:00", "Karen Holm", null),
            NOW);
    assertThat(result.issues()).extracting(Issue::rule).containsExactly("after-given-at");
  }

  @Test
  void revocation_withoutTime_takesEffectNow() {
    ConsentRecord consent = validator.validate(valid(), "id", NOW).record();
    ConsentValidator.Result result =
        validator.revocation(
            consent, new ConsentInput.Revocation(null, "Karen Holm", "phoned"), NOW);
    assertThat(result.record().revocation().revokedAt()).isEqualTo(NOW);
    assertThat(result.record().inForceAt(NOW)).isFalse();
  }

  /**
   * A revocation means "no further disclosure" (domain.md §3.2) from the moment the gateway knows
   * of it. One dated a few minutes ahead of the gateway's clock (a caller's clock running fast,
   * within the tolerated skew) took effect only then, so the consent went on permitting for those
   * minutes after it was revoked. It takes effect when recorded at the latest.
   */
  @Test
  void revocation_datedAheadOfTheClockWithinTheSkew_takesEffectNow() {
    ConsentRecord consent = validator.validate(valid(), "id", NOW).record();
    ConsentValidator.Result result =
        validator.revocation(
            consent,
            new ConsentInput.Revocation(NOW.plusMinutes(4).toString(), "Karen Holm", "phoned"),
            NOW);
    assertThat(result.issues()).isEmpty();
    assertThat(result.record().revocation().revokedAt()).isEqualTo(NOW);
    assertThat(result.record().inForceAt(NOW.plusMinutes(1))).isFalse();
    // The same for a consent imported with its revocation (the import validates it so).
    ConsentInput imported =
        new ConsentInput(
            null,
            "050345-5012",
            "consent",
            new GivenBy("citizen", null, null),
            List.of(new Recipient("organisation", "990031000016002", "Afsnit P3", null, null)),
            List.of("social-conditions"),
            "care-coordination",
            GIVEN,
            null,
            "Karen Holm",
            null,
            "written",
            new ConsentInput.Revocation(NOW.plusMinutes(4).toString(), "Karen Holm", null));
    ConsentRecord importedRecord = validator.validate(imported, "id-2", NOW).record();
    assertThat(importedRecord.revocation().revokedAt()).isEqualTo(NOW);
    assertThat(importedRecord.inForceAt(NOW.plusMinutes(1))).isFalse();
  }

  private static UnaryOperator<ConsentInput> op(UnaryOperator<ConsentInput> op) {
    return op;
  }

  private static ConsentInput with(ConsentInput in, UnaryOperator<ConsentInput> op) {
    return op.apply(in);
  }

  @SuppressWarnings("unchecked")
  private static ConsentInput copy(ConsentInput i, String field, Object v) {
    return new ConsentInput(
        i.id(),
        field.equals("cpr") ? (String) v : i.citizenCpr(),
        field.equals("type") ? (String) v : i.type(),
        field.equals("givenBy") ? (GivenBy) v : i.givenBy(),
        field.equals("recipients") ? (List<Recipient>) v : i.recipients(),
        field.equals("categories") ? (List<String>) v : i.informationCategories(),
        field.equals("purpose") ? (String) v : i.purpose(),
        field.equals("givenAt") ? (String) v : i.givenAt(),
        field.equals("validUntil") ? (String) v : i.validUntil(),
        field.equals("collectedBy") ? (String) v : i.collectedBy(),
        field.equals("witness") ? (String) v : i.witness(),
        field.equals("form") ? (String) v : i.form(),
        i.revocation());
  }
}
