package dk.sektorbro.gateway.medcom;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.TestScript;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * MedCom's CareCommunication send TestScripts (read in place from ../shared/medcom/testscripts):
 * their fixture messages, and their asserts evaluated with HAPI's FHIRPath against what the gateway
 * builds. Only the asserts about the sent Bundle are evaluated; HTTP status asserts and the profile
 * validation assert are not (the tests validate against the official chain themselves).
 */
public final class SendScripts {

  public static final Path PACKAGE =
      MedComChains.PACKAGES
          .getParent()
          .resolve("testscripts/medcom.fhir.dk.carecommunicationtestscripts-5.0.0.tgz");

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final FHIRPathEngine ENGINE =
      new FHIRPathEngine(new HapiWorkerContext(FHIR, new DefaultProfileValidationSupport(FHIR)));
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");
  private static NpmPackage pkg;

  private SendScripts() {}

  /** An example of the package by the start of its file name, e.g. "Bundle-S-A-new". */
  public static Bundle fixture(String fileNamePrefix) {
    return FHIR.newJsonParser().parseResource(Bundle.class, example(fileNamePrefix));
  }

  public static String example(String fileNamePrefix) {
    try {
      NpmPackage p = pkg();
      String name =
          p.list("example").stream()
              .filter(f -> f.startsWith(fileNamePrefix))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no example " + fileNamePrefix + " in " + PACKAGE));
      try (InputStream in = p.load("example", name)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestScript script(String id) {
    return FHIR.newJsonParser()
        .parseResource(TestScript.class, example("TestScript-" + id + ".json"));
  }

  /** One assert and how it came out; {@code skipped} says why an assert was not evaluated. */
  public record Outcome(String description, String expression, boolean passed, String detail) {}

  /**
   * Evaluates the asserts of the script's tests that send a message ({@code create} of a fixture)
   * against the Bundles given per fixture id (the received fixture and what the gateway built).
   */
  public static List<Outcome> evaluate(TestScript script, Map<String, Bundle> bySourceId) {
    Map<String, String> variables = new HashMap<>();
    for (TestScript.TestScriptVariableComponent v : script.getVariable()) {
      Bundle source = bySourceId.get(v.getSourceId());
      if (source != null && v.hasExpression()) {
        List<Base> values =
            ENGINE.evaluate(null, source, source, source, ENGINE.parse(v.getExpression()));
        if (!values.isEmpty()) {
          variables.put(v.getName(), values.get(0).primitiveValue());
        }
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (TestScript.TestScriptTestComponent test : script.getTest()) {
      Bundle sent = null;
      for (TestScript.TestActionComponent action : test.getAction()) {
        if (action.hasOperation() && "create".equals(action.getOperation().getType().getCode())) {
          sent = bySourceId.get(action.getOperation().getSourceId());
        }
        if (!action.hasAssert() || sent == null) {
          continue;
        }
        TestScript.SetupActionAssertComponent a = action.getAssert();
        if (!a.hasExpression() || a.hasValidateProfileId()) {
          continue; // HTTP status, resource type, profile validation
        }
        outcomes.add(evaluate(a, sent, variables, bySourceId));
      }
    }
    return outcomes;
  }

  private static Outcome evaluate(
      TestScript.SetupActionAssertComponent a,
      Bundle sent,
      Map<String, String> variables,
      Map<String, Bundle> bySourceId) {
    Matcher m = VARIABLE.matcher(a.getExpression());
    StringBuilder expression = new StringBuilder();
    List<String> undefined = new ArrayList<>();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        undefined.add(m.group(1));
        value = "";
      }
      m.appendReplacement(expression, Matcher.quoteReplacement(value));
    }
    m.appendTail(expression);
    if (!undefined.isEmpty()) {
      return new Outcome(
          a.getDescription(), a.getExpression(), false, "undefined variable(s) " + undefined);
    }
    List<Base> result =
        ENGINE.evaluate(null, sent, sent, sent, ENGINE.parse(expression.toString()));
    String actual =
        result.size() == 1 ? result.get(0).primitiveValue() : String.valueOf(result.size());
    boolean passed;
    if (a.hasCompareToSourceId()) {
      Bundle other = bySourceId.get(a.getCompareToSourceId());
      List<Base> expected =
          ENGINE.evaluate(
              null, other, other, other, ENGINE.parse(a.getCompareToSourceExpression()));
      String e = expected.isEmpty() ? null : expected.get(0).primitiveValue();
      passed =
          a.getOperator() == TestScript.AssertionOperatorType.NOTEQUALS
              ? !Objects.equals(actual, e)
              : Objects.equals(actual, e);
    } else if (a.hasValue()) {
      passed =
          a.getOperator() == TestScript.AssertionOperatorType.NOTEQUALS
              ? !a.getValue().equals(actual)
              : a.getValue().equals(actual);
    } else {
      passed = ENGINE.convertToBoolean(result);
    }
    return new Outcome(a.getDescription(), expression.toString(), passed, "result " + actual);
  }

  private static synchronized NpmPackage pkg() throws IOException {
    if (pkg == null) {
      try (InputStream in = Files.newInputStream(PACKAGE)) {
        pkg = NpmPackage.fromPackage(in);
      }
    }
    return pkg;
  }
}
