package dk.sektorbro.gateway.testscript;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordFormat;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.testscript.ScriptResult.Status;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.TestScript;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * MedCom's certification TestScripts (CareCommunication 5.0.0, Acknowledgement 2.0.0) against the
 * real gateway: each script's scenario in test-messages/testscripts/ says what the gateway sends
 * (from a source record, through the whole pipeline) or what is posted to its {@code
 * /fhir/$process-message}; the script's asserts are then evaluated on what really travelled. The
 * result must equal test-messages/testscripts/expected-results.txt, so a script that passed cannot
 * regress unnoticed. {@code -Dtestscripts.report=write} rewrites docs/testscripts.md.
 */
// The MedCom application the other MedCom end-to-end classes share (packages, profiles, MedCom's
// receivers): the scripts renew the fixtures' ids per run, and the registry they upload keeps every
// entry of the synthetic one.
class MedComTestScriptsTest extends MedComIntegrationTest {

  static final Path SCENARIOS = TEST_MESSAGES.resolve("testscripts");
  static final Path EXPECTED = SCENARIOS.resolve("expected-results.txt");
  static final Path REPORT = REPO.resolve("docs/testscripts.md");

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Autowired MappingRegistry mappings;

  /** What the certifier's rules found in the messages the gateway sent, over all scripts. */
  private final List<String> certifierViolations = new ArrayList<>();

  /**
   * The messages received in the scenarios, then every example of the CareCommunication TestScript
   * package.
   */
  private static List<String> fixtureMessages() throws IOException {
    TestScriptLibrary library = new TestScriptLibrary(MedComChains.PACKAGES.getParent());
    List<String> messages = new ArrayList<>();
    try (var files = Files.list(SCENARIOS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String id = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        for (Scenario.Step step : Scenario.find(SCENARIOS, id).orElseThrow().fixtures().values()) {
          if (step.receive() != null) {
            messages.add(library.read(step.receive().packageFile(), step.receive().file()));
          }
        }
      }
    }
    messages.addAll(library.examples(TestScriptLibrary.SCRIPT_PACKAGES.get(0), "Bundle-"));
    return messages;
  }

  @Test
  void medcomTestScripts_giveTheExpectedResults() throws IOException {
    SampleConsents.recordAll(adminClient());
    FixtureRegistry fixtures = uploadFixtureRegistry();
    recordFixtureConsents(fixtures);
    TestScriptLibrary library = new TestScriptLibrary(MedComChains.PACKAGES.getParent());
    TestScriptEvaluator evaluator = new TestScriptEvaluator(FHIR, OfficialValidator::validate);
    List<ScriptResult> results = new ArrayList<>();
    Map<String, List<String>> defects = new LinkedHashMap<>();
    Map<String, String> scenarioNotes = new HashMap<>();
    for (TestScript script : library.scripts(FHIR)) {
      String id = script.getIdElement().getIdPart();
      defects.put(id, TestScriptLibrary.defects(script));
      Optional<Scenario> scenario = Scenario.find(SCENARIOS, id);
      if (scenario.isEmpty()) {
        results.add(ScriptResult.notApplicable(id, "no scenario in test-messages/testscripts/"));
      } else if (scenario.get().notApplicable() != null) {
        results.add(ScriptResult.notApplicable(id, scenario.get().notApplicable()));
      } else {
        results.add(run(evaluator, library, script, scenario.get()));
        if (scenario.get().note() != null) {
          scenarioNotes.put(id, scenario.get().note());
        }
      }
    }
    if ("write".equals(System.getProperty("testscripts.report"))) {
      Files.writeString(REPORT, TestScriptReport.markdown(results, defects, scenarioNotes));
    }
    Map<String, Status> expected = ExpectedResults.read(EXPECTED);
    List<String> differences = new ArrayList<>();
    for (ScriptResult r : results) {
      Status want = expected.get(r.scriptId());
      if (want != r.status()) {
        differences.add(
            r.scriptId()
                + ": expected "
                + want
                + ", got "
                + r.status()
                + (r.reason() == null ? "" : " (" + r.reason() + ")"));
      }
      // A known deviation must be exactly what fails: another failure, or a deviation that now
      // passes, is news.
      Set<String> deviations =
          Scenario.find(SCENARIOS, r.scriptId())
              .map(sc -> sc.deviations().keySet())
              .orElse(Set.of());
      if (!deviations.equals(Set.copyOf(r.failedAsserts()))) {
        differences.add(
            r.scriptId()
                + ": failing asserts "
                + r.failedAsserts()
                + " differ from the scenario's"
                + " deviations "
                + deviations
                + (r.reason() == null ? "" : " (" + r.reason() + ")"));
      }
    }
    assertThat(expected.keySet())
        .as("scripts listed in %s", EXPECTED)
        .containsExactlyInAnyOrderElementsOf(results.stream().map(ScriptResult::scriptId).toList());
    assertThat(differences).as("TestScript results differ from %s", EXPECTED).isEmpty();
    assertThat(certifierViolations)
        .as("the gateway's messages against the certifier's rules beyond the TestScripts")
        .isEmpty();
  }

  /** The step's activity, as MedCom's fixture ids name it (create-reply-message-02, ...). */
  private static String activity(String fixture) {
    if (fixture.contains("reply")) {
      return "reply-message";
    }
    return fixture.contains("forward") ? "forward-message" : "new-message";
  }

  private ScriptResult run(
      TestScriptEvaluator evaluator,
      TestScriptLibrary library,
      TestScript script,
      Scenario scenario)
      throws IOException {
    Map<String, Bundle> bundles = new HashMap<>();
    Map<String, Integer> statuses = new HashMap<>();
    Map<String, Bundle> answers = new HashMap<>();
    Map<String, String> freshIds = new HashMap<>();
    Bundle previous = null;
    for (Map.Entry<String, Scenario.Step> e : scenario.fixtures().entrySet()) {
      String fixture = e.getKey();
      Scenario.Step step = e.getValue();
      if (step.send() != null) {
        Sent sent = send(step.send(), freshIds, bundles);
        if (sent.bundle() == null) {
          return new ScriptResult(
              script.getIdElement().getIdPart(),
              Status.FAIL,
              "the gateway did not send " + step.send().record() + ": " + sent.failure(),
              0,
              0,
              List.of(),
              List.of("(not sent)"));
        }
        bundles.put(fixture, sent.bundle());
        String activity = activity(fixture);
        CertifierRules.check(
                sent.bundle(), activity, activity.equals("new-message") ? null : previous)
            .forEach(
                v ->
                    certifierViolations.add(
                        script.getIdElement().getIdPart() + " " + fixture + ": " + v));
        previous = sent.bundle();
      } else if (step.receive() != null) {
        String text = library.read(step.receive().packageFile(), step.receive().file());
        Bundle posted = change(fresh(text, freshIds), step.receive().change());
        GatewayClient.Response response = receive(posted, step.receive().blockHandover());
        bundles.put(fixture, posted);
        previous = posted;
        statuses.put(fixture, response.status());
        if (response.body() != null && response.body().contains("\"Bundle\"")) {
          answers.put(fixture, FHIR.newJsonParser().parseResource(Bundle.class, response.body()));
        }
      } else if (step.answerTo() != null) {
        Bundle answer = answers.get(step.answerTo());
        if (answer != null) {
          bundles.put(fixture, answer);
        }
      }
    }
    return evaluator.evaluate(
        script, new TestScriptEvaluator.Run(bundles, statuses), scenario.deviations());
  }

  /**
   * The synthetic registry plus the fixtures' organisations, uploaded as an operator uploads a new
   * SOR export: it becomes the active snapshot.
   */
  private FixtureRegistry uploadFixtureRegistry() throws IOException {
    String synthetic = Files.readString(REPO.resolve("registry/synthetic-sor.xml"));
    FixtureRegistry fixtures = FixtureRegistry.of(synthetic, fixtureMessages());
    GatewayClient.Response upload =
        adminClient()
            .post(
                "/api/v1/registry/snapshots",
                "application/xml",
                fixtures.merged(synthetic).getBytes(StandardCharsets.UTF_8));
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);
    assertThat(upload.json().get("rejections")).as(upload.body()).isEmpty();
    return fixtures;
  }

  /**
   * The fixtures' citizen consented, in writing, to the fixtures' organisations receiving social
   * conditions and current treatment for care coordination, as staff would record it (the test
   * records speak for that citizen to those organisations).
   */
  private void recordFixtureConsents(FixtureRegistry fixtureRegistry) {
    List<String> sors =
        fixtureRegistry.organisations().stream()
            .map(FixtureRegistry.FixtureOrganisation::sor)
            .toList();
    String recipients =
        sors.stream()
            .map(sor -> "{\"kind\": \"organisation\", \"sor\": \"" + sor + "\"}")
            .collect(Collectors.joining(", "));
    String givenAt = FhirTimes.ago(Duration.ofDays(1));
    for (String cpr : fixtureRegistry.citizens()) {
      String consent =
          """
          {"citizenCpr": "%s", "type": "consent", "givenBy": {"type": "citizen"},
           "recipients": [%s],
           "informationCategories": ["social-conditions", "current-treatment"],
           "purpose": "care-coordination", "givenAt": "%s",
           "collectedBy": "Karen Holm, socialrådgiver", "witness": "Lise Jensen", "form": "written"}
          """
              .formatted(cpr, recipients, givenAt);
      GatewayClient.Response response =
          adminClient()
              .post(
                  "/api/v1/consents", "application/json", consent.getBytes(StandardCharsets.UTF_8));
      assertThat(response.status()).as(response.body()).isEqualTo(201);
    }
  }

  /** What the gateway sent for a record, or why it did not (journal state and reason). */
  private record Sent(Bundle bundle, String failure) {}

  /** The message the gateway really sent for this record: its postbox file. */
  private Sent send(Scenario.Send send, Map<String, String> freshIds, Map<String, Bundle> earlier)
      throws IOException {
    byte[] record =
        record(Files.readString(REPO.resolve(send.record())), freshIds, earlier)
            .getBytes(StandardCharsets.UTF_8);
    RecordFormat format = mappings.find(send.source()).orElseThrow().format();
    GatewayClient.Response response =
        intakeClient(send.source())
            .post(
                "/api/v1/records/" + send.source(),
                format == RecordFormat.JSON ? "application/json" : "application/xml",
                record);
    assertThat(response.status()).as(response.body()).isIn(200, 202);
    String id = response.json().get("id").asText();
    JsonNode entry = awaitFinal(id);
    if (!List.of("SENT", "ACKNOWLEDGED").contains(entry.get("state").asText())) {
      return new Sent(
          null, entry.get("state").asText() + " (" + entry.path("stateReason").asText() + ")");
    }
    String text = Files.readString(Path.of(entry.get("outboxPath").asText()));
    return new Sent(
        (Bundle)
            (text.stripLeading().startsWith("<") ? FHIR.newXmlParser() : FHIR.newJsonParser())
                .parseResource(text),
        null);
  }

  private GatewayClient.Response receive(Bundle message, boolean blockHandover) throws IOException {
    byte[] body =
        FHIR.newJsonParser().encodeResourceToString(message).getBytes(StandardCharsets.UTF_8);
    if (!blockHandover) {
      return intakeClient().post("/fhir/$process-message", "application/fhir+json", body);
    }
    // An internal failure the sender cannot cause: the hand-over folder cannot be created.
    Path handover = Files.createDirectories(dataDir().resolve("handover"));
    Path aside = handover.resolveSibling("handover-aside-" + UUID.randomUUID());
    Files.move(handover, aside);
    Files.writeString(handover, "blocked by the test");
    try {
      return intakeClient().post("/fhir/$process-message", "application/fhir+json", body);
    } finally {
      Files.delete(handover);
      Files.move(aside, handover);
    }
  }

  /**
   * New Bundle.id, MessageHeader.id, thread id (Communication.identifier) and episode-of-care id
   * per script run (the same fixture twice in one script keeps the same new ids, so a duplicate
   * stays a duplicate), as MedCom's tool clears its server first: several scripts reply to the same
   * fixture, and each reply must find the fixture as the latest message of its thread.
   */
  private static Bundle fresh(String text, Map<String, String> freshIds) {
    Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, text);
    List<String> ids =
        new ArrayList<>(
            List.of(bundle.getIdPart(), bundle.getEntryFirstRep().getResource().getIdPart()));
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      if (e.getResource() instanceof Communication c && c.getIdentifierFirstRep().hasValue()) {
        ids.add(c.getIdentifierFirstRep().getValue().replaceFirst("^urn:uuid:", ""));
      } else if (e.getResource() instanceof Encounter enc) {
        enc.getEpisodeOfCare().stream()
            .filter(r -> r.getIdentifier().hasValue())
            .forEach(r -> ids.add(r.getIdentifier().getValue().replaceFirst("^urn:uuid:", "")));
      }
    }
    String renamed = text;
    for (String id : ids) {
      renamed =
          renamed.replace(id, freshIds.computeIfAbsent(id, k -> UUID.randomUUID().toString()));
    }
    return FHIR.newJsonParser().parseResource(Bundle.class, renamed);
  }

  /**
   * A source record as the case system would send it in this run: the ids of received fixtures it
   * names are the renewed ones, and {@code ${<fixture id>.threadId}} / {@code .messageHeaderId}
   * stand for the ids of a message the gateway sent earlier in the script (the case system learns
   * them from the gateway's journal).
   */
  private static String record(
      String text, Map<String, String> freshIds, Map<String, Bundle> earlier) {
    String result = text;
    for (Map.Entry<String, String> id : freshIds.entrySet()) {
      result = result.replace(id.getKey(), id.getValue());
    }
    for (Map.Entry<String, Bundle> e : earlier.entrySet()) {
      Bundle b = e.getValue();
      result =
          result.replace(
              "${" + e.getKey() + ".messageHeaderId}",
              b.getEntryFirstRep().getResource().getIdPart());
      String thread =
          b.getEntry().stream()
              .map(Bundle.BundleEntryComponent::getResource)
              .filter(Communication.class::isInstance)
              .map(r -> ((Communication) r).getIdentifierFirstRep().getValue())
              .findFirst()
              .orElse("");
      result = result.replace("${" + e.getKey() + ".threadId}", thread);
    }
    return result;
  }

  private static Bundle change(Bundle bundle, List<String> changes) {
    for (String change : changes) {
      switch (change) {
        case "remove-cpr" ->
            resources(bundle, Patient.class).forEach(p -> p.getIdentifier().clear());
        case "unknown-activity" -> {
          String header = "MessageHeader/" + bundle.getEntryFirstRep().getResource().getIdPart();
          resources(bundle, Provenance.class).stream()
              .filter(p -> p.getTargetFirstRep().getReference().endsWith(header))
              .forEach(p -> p.getActivity().getCodingFirstRep().setCode("no-such-activity"));
        }
        default -> throw new IllegalArgumentException("unknown change " + change);
      }
    }
    return bundle;
  }
}
