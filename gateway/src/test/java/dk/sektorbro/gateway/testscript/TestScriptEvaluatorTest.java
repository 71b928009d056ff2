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
