package dk.sektorbro.gateway.testscript;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.validation.MedComChains;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Why the seven acknowledgement-receive TestScripts fail (docs/limits.md, "Certification"): the
 * three acknowledgements of MedCom's Acknowledgement TestScript package are invalid against
 * Acknowledgement 2.0.3 in the official chain, each for exactly the reasons the deviation names,
 * and MedCom's own build of that package reported two other errors for each. When MedCom's fixtures
 * or the chain change, this fails and the deviation text must be read again.
 */
// HAPI with the official Acknowledgement chain: runs in verify, not in ./mvnw test.
@Tag("integration")
class AcknowledgementFixturesTest {

  static final String PACKAGE = "testscripts/medcom.fhir.dk.acknowledgementtestscripts-2.0.0.tgz";
  static final String OK = "Bundle-b3c91031-85e6-4793-bca5-7b0de166fbf2.json";
  static final String FATAL_ERROR = "Bundle-fd618b85-9376-45ac-b0bd-67b0541f4fa4.json";
  static final String TRANSIENT_ERROR = "Bundle-32f3e314-8fcb-4147-87d4-fbed2ea2f741.json";

  /**
   * What every fixture has: relative fullUrls, dead narrative links, a header matching no profile.
   */
  static final Set<String> COMMON =
      Set.of(
          "BUNDLE_ENTRY_URL_ABSOLUTE",
          "Type_Specific_Checks_DT_XHTML_Resolve",
          "Reference_REF_CantMatchChoice",
          "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/"
              + "medcom-messaging-acknowledgement#medcom-acknowledgement-2");

  /** And the error fixtures: an issue-details code from a CodeSystem terminology 1.4.0 dropped. */
  static final Set<String> ISSUE_DETAILS =
      Set.of("Terminology_PassThrough_TX_Message", "Terminology_TX_NoValid_12");

  private static NpmPackage npm;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in =
        Files.newInputStream(MedComChains.PACKAGES.getParent().resolve(PACKAGE))) {
      npm = NpmPackage.fromPackage(in);
    }
  }

  @Test
  void okFixture_isInvalidOnlyForTheReasonsEveryFixtureHas() throws IOException {
    List<ValidationReport.Issue> errors = errors(OK);

    assertThat(errors).hasSize(13);
    assertThat(ids(errors)).isEqualTo(COMMON);
  }

  @Test
  void errorFixtures_areInvalidForTheseReasons_andTheirIssueDetailsCode() throws IOException {
    for (String fixture : List.of(FATAL_ERROR, TRANSIENT_ERROR)) {
      List<ValidationReport.Issue> errors = errors(fixture);

      assertThat(errors).as(fixture).hasSize(17);
      assertThat(ids(errors))
          .as(fixture)
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.Stream.concat(COMMON.stream(), ISSUE_DETAILS.stream()).toList());
      assertThat(errors)
          .filteredOn(e -> ISSUE_DETAILS.contains(e.messageId()))
          .allMatch(
              e ->
                  e.message()
                      .contains(
                          "http://medcomfhir.dk/ig/terminology/CodeSystem/"
                              + "medcom-acknowledgement-issue-details#message-development-error"));
      // Every entry's fullUrl is relative: one error per entry.
      assertThat(errors)
          .filteredOn(e -> e.messageId().equals("BUNDLE_ENTRY_URL_ABSOLUTE"))
          .hasSize(6);
    }
  }

  /**
   * MedCom's build of the package (its validation summary, shipped in the package) found two errors
   * in each fixture: not these, but its Provenances' references to a MessageHeader that is not in
   * the Bundle.
   */
  @Test
  void medcomsOwnBuild_reportedTwoOtherErrorsForEachFixture() throws IOException {
    JsonNode summary;
    try (InputStream in = npm.load("other", "validation-summary.json")) {
      summary = new ObjectMapper().readTree(in);
    }
    Map<String, Integer> errorsByBundle = new TreeMap<>();
    summary
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith("Bundle/")) {
                errorsByBundle.put(e.getKey(), e.getValue().get("errors").asInt());
              }
            });
    assertThat(errorsByBundle)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Bundle/" + id(OK),
                2,
                "Bundle/" + id(FATAL_ERROR),
                2,
                "Bundle/" + id(TRANSIENT_ERROR),
                2));
    String outcomes;
    try (InputStream in = npm.load("other", "validation-oo.json")) {
      outcomes = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(outcomes).contains("Unable to resolve resource with reference 'MessageHeader/");
    assertThat(outcomes).doesNotContain("fullUrl must be an absolute URL");
  }

  /**
   * The error fixtures' code was MedCom's when they were written (May 2023): terminology 1.1.1 has
   * it; 1.4.0, the version Acknowledgement 2.0.3 declares, and 2.0.x have no such CodeSystem.
   */
  @Test
  void issueDetailsCode_isInTerminology111_andInNoLaterTerminology() throws IOException {
    String codeSystem = "CodeSystem-medcom-acknowledgement-issue-details.json";
    try (InputStream in =
        Files.newInputStream(
            MedComChains.PACKAGES.resolve("medcom.fhir.dk.terminology-1.1.1.tgz"))) {
      NpmPackage old = NpmPackage.fromPackage(in);
      try (InputStream cs = old.load("package", codeSystem)) {
        assertThat(new String(cs.readAllBytes(), StandardCharsets.UTF_8))
            .contains("\"message-development-error\"");
      }
    }
    for (String version : List.of("1.4.0", "2.0.1", "2.0.2")) {
      try (InputStream in =
          Files.newInputStream(
              MedComChains.PACKAGES.resolve("medcom.fhir.dk.terminology-" + version + ".tgz"))) {
        assertThat(NpmPackage.fromPackage(in).hasFile("package", codeSystem)).as(version).isFalse();
      }
    }
  }

  private static List<ValidationReport.Issue> errors(String fixture) throws IOException {
    try (InputStream in = npm.load("package", fixture)) {
      return MedComReceivers.ackErrors(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Set<String> ids(List<ValidationReport.Issue> errors) {
    return errors.stream().map(ValidationReport.Issue::messageId).collect(Collectors.toSet());
  }

  private static String id(String fixture) {
    return fixture.substring("Bundle-".length(), fixture.length() - ".json".length());
  }
}
