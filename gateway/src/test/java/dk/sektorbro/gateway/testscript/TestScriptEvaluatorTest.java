package dk.sektorbro.gateway.testscript;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TestScript;
import org.hl7.fhir.r4.model.TestScript.AssertionOperatorType;
import org.hl7.fhir.r4.model.TestScript.SetupActionAssertComponent;
import org.junit.jupiter.api.Test;

/** How the runner reads MedCom's asserts, on small scripts of the same shape as MedCom's. */
class TestScriptEvaluatorTest {

  private final TestScriptEvaluator evaluator =
      new TestScriptEvaluator(FhirContext.forR4Cached(), (profile, bundle) -> List.of());

  @Test
  void everyFailingAssertIsReported_withTheKnownDeviationsReason() {
    TestScript script = script();
    asserts(
        script, "two payloads", "Bundle.entry.resource.ofType(Communication).payload.count() = 2");
    asserts(
        script,
        "topic kept",
        "Bundle.entry.resource.ofType(Communication).topic.text = 'new topic'");
    asserts(script, "one communication", "Bundle.entry.resource.ofType(Communication).count() = 1");

    ScriptResult r =
        evaluator.evaluate(
            script, run("old topic", "other topic"), Map.of("two payloads", "known: rule 6"));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.FAIL);
    assertThat(r.failedAsserts()).containsExactly("two payloads", "topic kept");
    assertThat(r.reason())
        .contains("assert 1 (two payloads)")
        .contains("known: rule 6")
        .contains("assert 2 (topic kept)");
    assertThat(r.assertsPassed()).isEqualTo(1);
  }

  @Test
  void compareToSource_notEquals_passesOnlyWhenTheValuesDiffer() {
    TestScript changed = script();
    compare(changed, "topic changed");
    TestScript same = script();
    compare(same, "topic changed");

    assertThat(evaluator.evaluate(changed, run("old topic", "new topic")).status())
        .isEqualTo(ScriptResult.Status.PASS);
    ScriptResult unchanged = evaluator.evaluate(same, run("old topic", "old topic"));
    assertThat(unchanged.status()).isEqualTo(ScriptResult.Status.FAIL);
    assertThat(unchanged.reason()).contains("the same as a");
  }

  @Test
  void aVariableDefinedOnlyWithTheFixtureSuffix_isReadAsThatOne_andSaidSo() {
    TestScript script = script();
    script
        .addVariable()
        .setName("topic-a-01")
        .setSourceId("a")
        .setExpression("Bundle.entry.resource.ofType(Communication).topic.text");
    asserts(
        script,
        "topic differs",
        "Bundle.entry.resource.ofType(Communication).topic.text != '${topic-a}'");

    ScriptResult r = evaluator.evaluate(script, run("old topic", "new topic"));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.PASS);
    assertThat(r.notes())
        .singleElement()
        .asString()
        .contains("${topic-a}")
        .contains("${topic-a-01}");
  }

  @Test
  void anUndefinedVariable_makesTheScriptNotApplicable_withTheOtherAssertsResult() {
    TestScript script = script();
    asserts(
        script,
        "uses undefined",
        "Bundle.entry.resource.ofType(Communication).topic.text != '${nowhere}'");
    asserts(script, "one communication", "Bundle.entry.resource.ofType(Communication).count() = 1");

    ScriptResult r = evaluator.evaluate(script, run("old topic", "new topic"));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.NOT_APPLICABLE);
    assertThat(r.reason()).contains("${nowhere}").contains("all 1 other asserts pass");
  }

  @Test
  void theSetupsCreateOfAFixtureTheGatewayReceived_checksTheGatewaysAnswer() {
    TestScript script = receiving();

    ScriptResult refused =
        evaluator.evaluate(
            script, new TestScriptEvaluator.Run(Map.of("a", message("t")), Map.of("a", 500)));
    ScriptResult taken =
        evaluator.evaluate(
            script, new TestScriptEvaluator.Run(Map.of("a", message("t")), Map.of("a", 200)));

    assertThat(refused.status()).isEqualTo(ScriptResult.Status.FAIL);
    assertThat(refused.reason()).contains("HTTP 500, expected 200,201");
    assertThat(taken.status()).isEqualTo(ScriptResult.Status.PASS);
    assertThat(taken.assertsPassed()).isEqualTo(1);
    assertThat(taken.serverSide()).isEqualTo(1);
  }

  @Test
  void aScriptWhoseAssertsAreAllTheTestServersOwn_isNotApplicable_neverPassed() {
    TestScript script = receiving();

    ScriptResult r =
        evaluator.evaluate(
            script, new TestScriptEvaluator.Run(Map.of("a", message("t")), Map.of()));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.NOT_APPLICABLE);
    assertThat(r.reason()).contains("no assert reads what the gateway sent or answered");
  }

  @Test
  void aResponseCodeAssert_honoursItsOperator() {
    TestScript script = script();
    script.getTestFirstRep().getActionFirstRep().getOperation().setSourceId("a");
    script
        .getTestFirstRep()
        .addAction()
        .setAssert(
            new SetupActionAssertComponent()
                .setDescription("not a server error")
                .setResponseCode("500,503")
                .setOperator(AssertionOperatorType.NOTIN));

    assertThat(
            evaluator
                .evaluate(
                    script,
                    new TestScriptEvaluator.Run(
                        Map.of("a", message("t"), "b", message("t")), Map.of("a", 503)))
                .status())
        .isEqualTo(ScriptResult.Status.FAIL);
    assertThat(
            evaluator
                .evaluate(
                    script,
                    new TestScriptEvaluator.Run(
                        Map.of("a", message("t"), "b", message("t")), Map.of("a", 200)))
                .status())
        .isEqualTo(ScriptResult.Status.PASS);
  }

  @Test
  void aVariableThatGivesNothing_failsTheAssert_insteadOfComparingEmptyTexts() {
    TestScript script = script();
    script.addVariable().setName("ts-a").setSourceId("a").setExpression("Bundle.timestamp");
    script.addVariable().setName("ts-b").setSourceId("b").setExpression("Bundle.timestamp");
    asserts(script, "timestamps differ", "'${ts-a}' != '${ts-b}'");

    ScriptResult r = evaluator.evaluate(script, run("old topic", "new topic"));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.FAIL);
    assertThat(r.reason()).contains("${ts-a}").contains("gives nothing");
  }

  @Test
  void aVariableNamingAnOperationsRequestId_readsThatRequest_withoutACorrection() {
    TestScript script = script();
    script.getTestFirstRep().getActionFirstRep().getOperation().setRequestId("sent-b");
    script
        .addVariable()
        .setName("topic-b")
        .setSourceId("sent-b")
        .setExpression("Bundle.entry.resource.ofType(Communication).topic.text");
    asserts(
        script,
        "topic read from the request",
        "Bundle.entry.resource.ofType(Communication).topic.text = '${topic-b}'");

    ScriptResult r = evaluator.evaluate(script, run("old topic", "new topic"));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.PASS);
    assertThat(r.notes()).isEmpty();
  }

  @Test
  void aValidateProfileIdThatNamesNoProfile_fails() {
    TestScript script = script();
    script
        .getTestFirstRep()
        .addAction()
        .setAssert(
            new SetupActionAssertComponent()
                .setDescription("validates")
                .setValidateProfileId("carecommunication"));

    ScriptResult r = evaluator.evaluate(script, run("old topic", "new topic"));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.FAIL);
    assertThat(r.reason()).contains("names no profile");
  }

  @Test
  void aFixtureTheRunDidNotPlay_failsTheScript_evenWhenNoAssertReadsIt() {
    TestScript script = script();
    asserts(script, "one communication", "Bundle.entry.resource.ofType(Communication).count() = 1");

    ScriptResult r =
        evaluator.evaluate(
            script, new TestScriptEvaluator.Run(Map.of("b", message("new topic")), Map.of()));

    assertThat(r.status()).isEqualTo(ScriptResult.Status.FAIL);
    assertThat(r.reason()).contains("fixture a was not played");
  }

  /**
   * As MedCom's receive scripts: the setup creates fixture a (delivered to the system under test)
   * and asserts the answer; the test reads it back from the test server.
   */
  private static TestScript receiving() {
    TestScript script = new TestScript();
    script.setId("receive");
    script.addFixture().setId("a");
    script.getSetup().addAction().getOperation().setSourceId("a");
    script.getSetup().addAction().setAssert(okOrCreated());
    script.addTest().addAction().getOperation().setParams("/a");
    script.getTestFirstRep().addAction().setAssert(okOrCreated());
    return script;
  }

  private static SetupActionAssertComponent okOrCreated() {
    return new SetupActionAssertComponent()
        .setDescription("Confirm that the returned HTTP status is okay or created.")
        .setResponseCode("200,201")
        .setOperator(AssertionOperatorType.IN);
  }

  private static TestScript script() {
    TestScript script = new TestScript();
    script.setId("example");
    script.addFixture().setId("a");
    script.addFixture().setId("b");
    script.addTest().addAction().getOperation().setSourceId("b");
    return script;
  }

  private static void asserts(TestScript script, String description, String expression) {
    script
        .getTestFirstRep()
        .addAction()
        .setAssert(
            new SetupActionAssertComponent().setDescription(description).setExpression(expression));
  }

  private static void compare(TestScript script, String description) {
    String topic = "Bundle.entry.resource.ofType(Communication).topic.text[0]";
    script
        .getTestFirstRep()
        .addAction()
        .setAssert(
            new SetupActionAssertComponent()
                .setDescription(description)
                .setExpression(topic)
                .setSourceId("b")
                .setCompareToSourceId("a")
                .setCompareToSourceExpression(topic)
                .setOperator(AssertionOperatorType.NOTEQUALS));
  }

  /** Fixture a (the earlier message) and b (what the gateway sent), one Communication each. */
  private static TestScriptEvaluator.Run run(String topicA, String topicB) {
    return new TestScriptEvaluator.Run(
        Map.of("a", message(topicA), "b", message(topicB)), Map.of());
  }

  private static Bundle message(String topic) {
    Communication c = new Communication();
    c.setTopic(new CodeableConcept().setText(topic));
    c.addPayload().setContent(new StringType("text"));
    Bundle b = new Bundle();
    b.addEntry().setResource(c);
    return b;
  }
}
