package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Disagreements between the fast and the reference validator that the differential corpus did not
 * cover, found on 2026-12-07 by a red team (shapes nobody on the team wrote): each case lets the
 * fast validator learn a message HAPI finds valid, then gives it a message of the same shape before
 * the fix, and requires HAPI's verdict and issues (severity, location, message id).
 */
// Validates with the official MedCom chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class FastPathEdgeCasesTest {

  private static final String NBSP = "\u00a0";

  /**
   * HAPI warns about a dateTime or date after 2100 (Type_Specific_Checks_DT_DateTime_Reasonable);
   * fast took years up to 2199 as placeholders and answered the same message a century later with
   * no warning.
   */
  @Test
  void datesAfter2100_getHapisWarnings() {
    for (DifferentialCorpus.Variant seed : seeds("hjaelpemidler.xml")) {
      agrees(seed, DifferentialCorpus.yearsLaterInMessage(seed.message(), 100));
    }
  }

  /**
   * HAPI's whitespace includes the no-break spaces (U+00A0, U+2007, U+202F): a text starting or
   * ending with one, or made of them only, has a warning (Type_Specific_Checks_DT_String_WS,
   * ..._WS_ALL). Fast took them for letters.
   */
  @Test
  void textsWithNoBreakSpaces_getHapisWarnings() {
    DifferentialCorpus.Variant careCommunication = seed("CareCommunication example 0");
    agrees(
        careCommunication,
        DifferentialCorpus.rewriteTextValues(careCommunication.message(), s -> NBSP + s));
    agrees(
        careCommunication,
        DifferentialCorpus.rewriteTextValues(careCommunication.message(), s -> s + "\u202f"));
    agrees(
        careCommunication,
        DifferentialCorpus.rewriteTextValues(careCommunication.message(), s -> "\u2007" + s));
    DifferentialCorpus.Variant notification = seed("HospitalNotification example 0");
    agrees(notification, DifferentialCorpus.rewriteTextValues(notification.message(), s -> NBSP));
  }

  /**
   * Text between XML elements made of characters Java calls whitespace but XML does not (U+3000,
   * U+2028): HAPI refuses it (an ERROR on the Bundle), fast dropped it as blank and said valid.
   */
  @Test
  void nonXmlWhitespaceBetweenElements_isInvalidForBoth() {
    for (String space : List.of("\u3000", "\u2028", "\u2003")) {
      DifferentialCorpus.Variant seed = seed("visitation.xml", "seed as XML");
      String mutant = seed.message().replaceFirst("(<Bundle[^>]*>)", "$1" + space);
      ValidationReport reference = agrees(seed, mutant);
      assertThat(reference.valid()).isFalse();
    }
  }

  /**
   * A Period with an instant start and a date end: per-1 compares them, but fast ranked instants
   * and dates separately, so an end before the start got the verdict of one after it.
   */
  @Test
  void periodEndAsDate_isComparedWithAnInstantStart() {
    DifferentialCorpus.Variant seed = seedContaining("\"end\":\"2022-12-18T09:45:30+02:00\"");
    String after =
        seed.message().replace("\"end\":\"2022-12-18T09:45:30+02:00\"", "\"end\":\"2022-12-18\"");
    String before =
        seed.message().replace("\"end\":\"2022-12-18T09:45:30+02:00\"", "\"end\":\"2022-12-01\"");

    ValidationReport reference = agrees(learnt(seed, after), before);

    assertThat(reference.valid()).isFalse();
  }

  /**
   * A resource id that looks like a date (a legal id) was a date placeholder, while the fullUrl and
   * references that name it are literal: another id with the same fullUrl (HAPI: the fullUrl does
   * not match the id) got the verdict of the matching one.
   */
  @Test
  void dateLikeResourceIds_stayLiteral() {
    DifferentialCorpus.Variant seed = seedContaining("\"end\":\"2022-12-18T09:45:30+02:00\"");
    String patient = "6841b54e-81cd-11ed-a1eb-0242ac120002";
    assertThat(seed.message()).contains(patient);
    String matching = seed.message().replace(patient, "2020-01-01");
    String mismatching = matching.replace("\"id\":\"2020-01-01\"", "\"id\":\"2020-01-02\"");

    ValidationReport reference = agrees(learnt(seed, matching), mismatching);

    assertThat(reference.valid()).isFalse();
  }

  /**
   * A free text equal to a word of an issue's location (a family name "resource", and an
   * information issue at "Bundle.entry[2].resource/..."): fast put the next message's text into the
   * location of the remembered issue.
   */
  @Test
  void aTextEqualToAWordOfAnIssueLocation_leavesTheLocationAlone() {
    DifferentialCorpus.Variant seed = seed("HospitalNotification example 0");
    Matcher family = Pattern.compile("\"family\":\"([^\"]+)\"").matcher(seed.message());
    assertThat(family.find()).isTrue();
    String word = seed.message().replace(family.group(), "\"family\":\"resource\"");
    String name = seed.message().replace(family.group(), "\"family\":\"Qwertyson\"");
    Learnt learnt = learnt(seed, word);
    assertThat(learnt.fast().knows(name)).as("same template, answered from memory").isTrue();

    agrees(learnt, name);
  }

  // ---- plumbing

  private record Learnt(DifferentialCorpus.Variant seed, FastChain fast) {}

  private static Learnt learnt(DifferentialCorpus.Variant seed, String message) {
    ConformanceChain chain = MedComChains.get().forType(seed.messageType());
    FastChain fast = new FastChain(chain, 100);
    ValidationReport report = chain.validate(message);
    assertThat(report.errors()).as("the learnt message is valid").isEmpty();
    fast.check(message, m -> report);
    assertThat(fast.knows(message)).as("the learnt message is remembered").isTrue();
    return new Learnt(seed, fast);
  }

  private static ValidationReport agrees(DifferentialCorpus.Variant seed, String mutant) {
    return agrees(learnt(seed, seed.message()), mutant);
  }

  private static ValidationReport agrees(Learnt learnt, String mutant) {
    ConformanceChain chain = MedComChains.get().forType(learnt.seed().messageType());
    assertThat(mutant).isNotEqualTo(learnt.seed().message());
    ValidationReport reference = chain.validate(mutant);
    ValidationReport fast = learnt.fast().check(mutant).report();
    assertThat(Differential.same(reference, fast))
        .as("%s: reference %s, fast %s", learnt.seed().seed(), reference.issues(), fast.issues())
        .isTrue();
    return reference;
  }

  private static List<DifferentialCorpus.Variant> seeds(String name) {
    return DifferentialCorpus.seeds(MedComChains.get()).stream()
        .filter(v -> v.seed().equals(name))
        .toList();
  }

  private static DifferentialCorpus.Variant seed(String name) {
    return seed(name, "seed");
  }

  private static DifferentialCorpus.Variant seed(String name, String mutation) {
    return seeds(name).stream()
        .filter(v -> v.mutation().equals(mutation))
        .findFirst()
        .orElseThrow();
  }

  private static DifferentialCorpus.Variant seedContaining(String text) {
    return DifferentialCorpus.seeds(MedComChains.get()).stream()
        .filter(v -> v.message().contains(text))
        .findFirst()
        .orElseThrow();
  }
}
