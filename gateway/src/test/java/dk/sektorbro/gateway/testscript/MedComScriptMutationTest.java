package dk.sektorbro.gateway.testscript;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder.AckIssue;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.TestScript;
import org.junit.jupiter.api.Test;

/**
 * MedCom's real TestScripts against deliberately broken messages: a runner that passes an assert it
 * cannot evaluate would certify anything. Reads the scripts and fixtures in place from
 * ../shared/medcom.
 */
class MedComScriptMutationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final TestScriptLibrary LIBRARY =
      new TestScriptLibrary(GatewayIntegrationTest.MEDCOM_PACKAGES.getParent());
  private static final String SCRIPTS = "medcom.fhir.dk.carecommunicationtestscripts-5.0.0.tgz";
  private static final String NEW_MESSAGE =
      "example/Bundle-S-A-new-1932711d-49d0-4ad7-b1ee-61de711892d2.json";
  private static final String STIN = "example/Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json";

  /** The official validator's verdict is the verdict: here it finds an error in everything. */
  private final TestScriptEvaluator rejectingValidator =
      new TestScriptEvaluator(FHIR, (profile, bundle) -> List.of("broken"));

  private final TestScriptEvaluator acceptingValidator =
      new TestScriptEvaluator(FHIR, (profile, bundle) -> List.of());

  @Test
  void onEmptyMessagesAndAServerError_everyAssertOfEveryScriptFails_butTheVacuousOnes() {
    List<TestScript> scripts = LIBRARY.scripts(FHIR);
    assertThat(scripts).hasSize(45);
    List<String> survivors = new ArrayList<>();
    int evaluated = 0;
    for (TestScript script : scripts) {
      Map<String, Bundle> bundles = new HashMap<>();
      Map<String, Integer> statuses = new HashMap<>();
      for (TestScript.TestScriptFixtureComponent f : script.getFixture()) {
        bundles.put(f.getId(), new Bundle().setType(Bundle.BundleType.MESSAGE));
        statuses.put(f.getId(), 500);
      }
      ScriptResult r =
          rejectingValidator.evaluate(script, new TestScriptEvaluator.Run(bundles, statuses));
      // Vacuous by their text: "the request is a Bundle", and MedCom's ack scripts'
      // `event.as(Coding).select(code = 'acknowledgement-message').allTrue()` (allTrue() of nothing
      // is true; the same test's validateProfileId assert needs the MessageHeader).
      long vacuous =
          asserts(script).stream()
              .filter(
                  a ->
                      a.hasResource()
                          || (a.hasExpression() && a.getExpression().endsWith(".allTrue()")))
              .count();
      evaluated += r.assertsPassed() + r.failedAsserts().size();
      if (r.assertsPassed() != vacuous) {
        survivors.add(
            script.getIdElement().getIdPart()
                + ": "
                + (r.assertsPassed() - vacuous)
                + " assert(s) beyond the vacuous ones hold on an empty message");
      }
    }

    assertThat(survivors).isEmpty();
    // 487 asserts in all: 2 use a variable MedCom's script does not define at all
    // (forward-changetopic, reply-forward); the responseCode asserts after reads and deletes are
    // MedCom's server's answers.
    assertThat(evaluated).isEqualTo(487 - 2 - serverSide(scripts));
  }

  @Test
  void newMessage_officialFixturePasses_andEachBreakFailsItsAssert() {
    TestScript script = script("carecommunication-send-new-message");
    Bundle fixture = read(SCRIPTS, NEW_MESSAGE);
    assertThat(newMessage(script, fixture).status()).isEqualTo(ScriptResult.Status.PASS);

    assertBreaks(
        script,
        fixture,
        b -> header(b).getEventCoding().setCode("hospital-notification-message"),
        "Confirm that the request resource contains the expected eventCoding.code.");
    assertBreaks(
        script,
        fixture,
        b -> resources(b, Provenance.class).get(0).getActivity().getCodingFirstRep().setCode("x"),
        "Confirm that the request resource contains the expected activity code.");
    assertBreaks(
        script,
        fixture,
        b ->
            resources(b, Provenance.class)
                .get(0)
                .getTargetFirstRep()
                .setReference("MessageHeader/x"),
        "Confirm that the target reference in Provenance equals MessageHeader.id");
    assertBreaks(
        script,
        fixture,
        b ->
            resources(b, Communication.class)
                .get(0)
                .getIdentifierFirstRep()
                .setValue("urn:uuid:not-a-uuid"),
        "Confirm that the Communication.identifier is a UUID v4.");
  }

  @Test
  void acknowledgementOfADuplicate_theGatewaysAcksPass_andEachBreakFailsItsAssert() {
    TestScript script = script("acknowledgement-send-ok-duplicate-hospitalnotification");
    Bundle stin = read("medcom.fhir.dk.hospitalnotification-3.0.2.tgz", STIN);
    Date first = new Date(1_800_000_000_000L);
    Date second = new Date(1_800_000_060_000L);
    assertThat(duplicate(script, stin, ack(stin, first), ack(stin, second)).status())
        .isEqualTo(ScriptResult.Status.PASS);

    Bundle sameTimestamp = ack(stin, second);
    assertThat(duplicate(script, stin, ack(stin, second), sameTimestamp).failedAsserts())
        .containsExactly(
            "Confirm that the Bundle.timestamp of the two Acknowledgements are different.");

    Bundle fatalWithoutOutcome = ack(stin, second);
    header(fatalWithoutOutcome)
        .getResponse()
        .setCode(MessageHeader.ResponseType.fromCode("fatal-error"));
    fatalWithoutOutcome.getEntry().removeIf(e -> e.getResource() instanceof OperationOutcome);
    assertThat(duplicate(script, stin, ack(stin, first), fatalWithoutOutcome).failedAsserts())
        .containsExactlyInAnyOrder(
            "Confirm that MessageHeader.responseCode equals to ok",
            "Confirm that a OperationOutcome instance is included, when the responseCode is"
                + " 'transient-error' or 'fatal-error'");

    Bundle noAckProvenance = ack(stin, second);
    noAckProvenance
        .getEntry()
        .removeIf(
            e ->
                e.getResource() instanceof Provenance p
                    && "acknowledgement".equals(p.getActivity().getCodingFirstRep().getCode()));
    assertThat(duplicate(script, stin, ack(stin, first), noAckProvenance).failedAsserts())
        .contains(
            "Confirm that 2 Provenance instances exists.",
            "Confirm that the one Provenance instance contains the expected activity code.",
            "Confirm that the previous MessageHeader fullURL is identical to Provenance.entity.what");
  }

  private void assertBreaks(
      TestScript script, Bundle fixture, Consumer<Bundle> mutation, String description) {
    Bundle broken = fixture.copy();
    mutation.accept(broken);
    ScriptResult r = newMessage(script, broken);
    assertThat(r.failedAsserts()).as(r.reason()).containsExactly(description);
  }

  private ScriptResult newMessage(TestScript script, Bundle sent) {
    return acceptingValidator.evaluate(
        script, new TestScriptEvaluator.Run(Map.of("create-new-message-01", sent), Map.of()));
  }

  private ScriptResult duplicate(TestScript script, Bundle stin, Bundle ack1, Bundle ack2) {
    return acceptingValidator.evaluate(
        script,
        new TestScriptEvaluator.Run(
            Map.of(
                "create-STIN-01",
                stin,
                "create-STIN2-03",
                stin,
                "create-ok-02",
                ack1,
                "create-ok-04",
                ack2),
            Map.of("create-STIN-01", 200, "create-STIN2-03", 200)));
  }

  private static Bundle ack(Bundle received, Date at) {
    return AcknowledgementBuilder.build(
        received, "ok", List.<AckIssue>of(), at, "https://sektorbro.example/fhir");
  }

  private static MessageHeader header(Bundle b) {
    return (MessageHeader) b.getEntryFirstRep().getResource();
  }

  private static TestScript script(String id) {
    return LIBRARY.scripts(FHIR).stream()
        .filter(s -> s.getIdElement().getIdPart().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static Bundle read(String packageFile, String file) {
    return FHIR.newJsonParser().parseResource(Bundle.class, LIBRARY.read(packageFile, file));
  }

  private static List<TestScript.SetupActionAssertComponent> asserts(TestScript script) {
    List<TestScript.SetupActionAssertComponent> all = new ArrayList<>();
    script.getSetup().getAction().stream()
        .filter(TestScript.SetupActionComponent::hasAssert)
        .forEach(a -> all.add(a.getAssert()));
    script
        .getTest()
        .forEach(
            t ->
                t.getAction().stream()
                    .filter(TestScript.TestActionComponent::hasAssert)
                    .forEach(a -> all.add(a.getAssert())));
    return all;
  }

  /**
   * The responseCode asserts after an operation that delivers no fixture (reads, deletes): MedCom's
   * server answers those.
   */
  private static int serverSide(List<TestScript> scripts) {
    int count = 0;
    for (TestScript script : scripts) {
      String sourceId = null;
      List<Object> actions = new ArrayList<>(script.getSetup().getAction());
      script.getTest().forEach(t -> actions.addAll(t.getAction()));
      for (Object o : actions) {
        TestScript.SetupActionOperationComponent op =
            o instanceof TestScript.SetupActionComponent s
                ? (s.hasOperation() ? s.getOperation() : null)
                : ((TestScript.TestActionComponent) o).hasOperation()
                    ? ((TestScript.TestActionComponent) o).getOperation()
                    : null;
        TestScript.SetupActionAssertComponent a =
            o instanceof TestScript.SetupActionComponent s
                ? (s.hasAssert() ? s.getAssert() : null)
                : ((TestScript.TestActionComponent) o).hasAssert()
                    ? ((TestScript.TestActionComponent) o).getAssert()
                    : null;
        if (op != null) {
          sourceId = op.getSourceId();
        } else if (a != null && a.hasResponseCode() && sourceId == null) {
          count++;
        }
      }
    }
    return count;
  }
}
