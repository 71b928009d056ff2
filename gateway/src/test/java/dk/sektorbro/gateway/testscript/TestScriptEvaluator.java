package dk.sektorbro.gateway.testscript;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.TestScript;
import org.hl7.fhir.r4.model.TestScript.SetupActionAssertComponent;
import org.hl7.fhir.r4.model.TestScript.SetupActionOperationComponent;
import org.hl7.fhir.r4.model.TestScript.TestActionComponent;

/**
 * Evaluates a MedCom TestScript's asserts, with HAPI's FHIRPath, against what the gateway really
 * sent or answered. Pure: the run supplies, per fixture id, the Bundle that travelled (the
 * gateway's message or acknowledgement, or the fixture posted to it) and the HTTP status the
 * gateway answered a posted fixture with.
 *
 * <p>How MedCom's asserts are read (TestScript R4, as MedCom's Touchstone scripts use it):
 *
 * <ul>
 *   <li>{@code direction=request} asserts check the request of the latest operation, i.e. the
 *       Bundle the run supplies for that operation's {@code sourceId};
 *   <li>{@code expression} without an operator must be true by FHIRPath's singleton rule; with
 *       {@code operator=equals} every value of the result must equal {@code value} (and there must
 *       be one); {@code %resource} is the Bundle; {@code ${name}} is the script's variable;
 *   <li>{@code validateProfileId} validates the Bundle with the gateway's official chain for the
 *       profile's family: 0 errors passes;
 *   <li>{@code responseCode} asserts after an operation whose fixture was posted to the gateway
 *       check the gateway's HTTP status (operator {@code in}, {@code notIn}, {@code equals}, {@code
 *       notEquals}); the others are the MedCom test server's own answers (its reads, deletes and
 *       the creates a sender makes there) and are counted as server-side;
 *   <li>the setup's actions are read like a test's: its creates deliver the fixtures the system
 *       under test receives, so its {@code responseCode} asserts check the gateway's answer;
 *   <li>a variable's {@code sourceId} names a fixture or an operation's {@code requestId} (the
 *       request that operation sent); a variable that gives nothing fails the assert using it.
 * </ul>
 *
 * A script none of whose asserts reads what the gateway sent or answered is not applicable, never
 * passed: nothing was checked.
 */
public final class TestScriptEvaluator {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

  /**
   * Validates a Bundle against the chain for a profile canonical: the error messages, empty when
   * valid.
   */
  public interface ProfileValidator extends BiFunction<String, Bundle, List<String>> {}

  private final IFhirPath fhirPath;
  private final ProfileValidator validator;

  public TestScriptEvaluator(FhirContext fhir, ProfileValidator validator) {
    this.fhirPath = fhir.newFhirPath();
    this.validator = validator;
  }

  /** What the run produced for one script. */
  public record Run(Map<String, Bundle> bundles, Map<String, Integer> statuses) {}

  public ScriptResult evaluate(TestScript script, Run run) {
    return evaluate(script, run, Map.of());
  }

  /**
   * Every assert is evaluated (a failure does not hide the ones after it). The script fails if any
   * assert fails; it is not applicable if an assert cannot be evaluated because MedCom's script is
   * wrong (a variable that is not defined) and all others pass; else it passes.
   *
   * @param deviations known failures by assert description, with the reason the gateway does not
   *     meet them (e.g. a MedCom rule the assert contradicts): shown beside the failure
   */
  public ScriptResult evaluate(TestScript script, Run run, Map<String, String> deviations) {
    String id = script.getIdElement().getIdPart();
    List<String> notes = new ArrayList<>();
    Map<String, String> profiles = new HashMap<>();
    script.getProfile().forEach(p -> profiles.put(p.getId(), p.getReference()));
    Map<String, TestScript.TestScriptVariableComponent> variables = new LinkedHashMap<>();
    script.getVariable().forEach(v -> variables.put(v.getName(), v));
    Set<String> fixtures = new HashSet<>();
    script.getFixture().forEach(f -> fixtures.add(f.getId()));
    List<List<Action>> groups = new ArrayList<>();
    groups.add(script.getSetup().getAction().stream().map(Action::of).toList());
    script.getTest().forEach(t -> groups.add(t.getAction().stream().map(Action::of).toList()));
    // A variable may read the request an operation sent, named by the operation's requestId.
    Map<String, String> requests = new HashMap<>();
    groups.forEach(
        g ->
            g.stream()
                .filter(x -> x.operation() != null && x.operation().hasRequestId())
                .forEach(
                    x -> requests.put(x.operation().getRequestId(), x.operation().getSourceId())));
    Sources sources = new Sources(fixtures, requests);

    List<String> failures = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> defects = new ArrayList<>();
    String sourceId = null;
    int passed = 0;
    int serverSide = 0;
    int index = 0;
    for (List<Action> group : groups) {
      for (Action action : group) {
        if (action.operation() != null) {
          sourceId = action.operation().getSourceId();
          continue;
        }
        if (action.assertion() == null) {
          continue;
        }
        index++;
        SetupActionAssertComponent a = action.assertion();
        if (a.hasResponseCode() && (sourceId == null || run.statuses().get(sourceId) == null)) {
          serverSide++;
          continue;
        }
        String failure;
        try {
          failure = check(a, sourceId, run, profiles, variables, sources, notes);
        } catch (UndefinedVariable e) {
          defects.add("assert " + index + " (" + a.getDescription() + "): " + e.getMessage());
          continue;
        }
        if (failure == null) {
          passed++;
        } else {
          String known = deviations.get(a.getDescription());
          failures.add(
              "assert "
                  + index
                  + " ("
                  + a.getDescription()
                  + "): "
                  + failure
                  + (known == null ? "" : " — " + known));
          failed.add(a.getDescription());
        }
      }
    }
    // A fixture the run did not produce was not played: even when no assert reads it, the script's
    // scenario is incomplete and its result would say more than was checked.
    for (TestScript.TestScriptFixtureComponent f : script.getFixture()) {
      if (!run.bundles().containsKey(f.getId())) {
        failures.add("fixture " + f.getId() + " was not played");
        failed.add("(fixture " + f.getId() + " not played)");
      }
    }
    if (!failures.isEmpty()) {
      String reason =
          String.join("; ", failures)
              + (defects.isEmpty()
                  ? ""
                  : "; MedCom script defect, not evaluable: " + String.join("; ", defects));
      return new ScriptResult(
          id, ScriptResult.Status.FAIL, reason, passed, serverSide, notes, failed);
    }
    if (!defects.isEmpty()) {
      return new ScriptResult(
          id,
          ScriptResult.Status.NOT_APPLICABLE,
          "MedCom script defect, not evaluable: "
              + String.join("; ", defects)
              + "; all "
              + passed
              + " other asserts pass",
          passed,
          serverSide,
          notes,
          List.of());
    }
    if (passed == 0) {
      return new ScriptResult(
          id,
          ScriptResult.Status.NOT_APPLICABLE,
          "no assert reads what the gateway sent or answered: all "
              + serverSide
              + " are the MedCom test server's own",
          passed,
          serverSide,
          notes,
          List.of());
    }
    return new ScriptResult(
        id, ScriptResult.Status.PASS, null, passed, serverSide, notes, List.of());
  }

  /** One action of the setup or of a test: an operation or an assert. */
  private record Action(
      SetupActionOperationComponent operation, SetupActionAssertComponent assertion) {
    static Action of(TestScript.SetupActionComponent a) {
      return new Action(
          a.hasOperation() ? a.getOperation() : null, a.hasAssert() ? a.getAssert() : null);
    }

    static Action of(TestActionComponent a) {
      return new Action(
          a.hasOperation() ? a.getOperation() : null, a.hasAssert() ? a.getAssert() : null);
    }
  }

  /** What a variable's sourceId may name: a fixture, or an operation's requestId. */
  private record Sources(Set<String> fixtures, Map<String, String> requests) {}

  /** Why the assert fails, or null when it holds. */
  private String check(
      SetupActionAssertComponent a,
      String sourceId,
      Run run,
      Map<String, String> profiles,
      Map<String, TestScript.TestScriptVariableComponent> variables,
      Sources sources,
      List<String> notes)
      throws UndefinedVariable {
    if (a.hasResponseCode()) {
      return responseCode(a, run.statuses().get(sourceId));
    }
    // An assert may name the fixture it reads (sourceId) instead of the latest operation's request.
    String reads = a.hasSourceId() ? a.getSourceId() : sourceId;
    Bundle request = reads == null ? null : run.bundles().get(reads);
    if (request == null) {
      return "no request for operation sourceId " + reads;
    }
    if (a.hasResource()) {
      return a.getResource().equals(request.fhirType()) ? null : "request is " + request.fhirType();
    }
    if (a.hasValidateProfileId()) {
      String profile = profiles.get(a.getValidateProfileId());
      if (profile == null) {
        return "validateProfileId '"
            + a.getValidateProfileId()
            + "' names no profile of the script";
      }
      List<String> errors = validator.apply(profile, request);
      return errors.isEmpty()
          ? null
          : errors.size() + " validation error(s), first: " + errors.get(0);
    }
    String expression;
    try {
      expression = substitute(a.getExpression(), variables, sources, run, notes);
    } catch (EmptyVariable e) {
      return e.getMessage();
    }
    if (a.hasExpression() && a.hasCompareToSourceId()) {
      return compare(request, expression, a, run);
    }
    if (a.hasExpression()) {
      return expression(request, expression, a);
    }
    return "assert kind not supported by the runner";
  }

  private static String responseCode(SetupActionAssertComponent a, int status) {
    List<String> codes = List.of(a.getResponseCode().split("\\s*,\\s*"));
    boolean listed = codes.contains(String.valueOf(status));
    TestScript.AssertionOperatorType operator =
        a.hasOperator() ? a.getOperator() : TestScript.AssertionOperatorType.EQUALS;
    boolean holds =
        switch (operator) {
          case EQUALS, IN -> listed;
          case NOTEQUALS, NOTIN -> !listed;
          default -> false;
        };
    if (holds) {
      return null;
    }
    return switch (operator) {
      case EQUALS, IN -> "HTTP " + status + ", expected " + a.getResponseCode();
      case NOTEQUALS, NOTIN -> "HTTP " + status + ", expected none of " + a.getResponseCode();
      default -> "operator " + operator.toCode() + " on a responseCode not supported by the runner";
    };
  }

  /**
   * The expression's values on the request against compareToSourceExpression's on the
   * compareToSourceId fixture.
   */
  private String compare(Bundle request, String expression, SetupActionAssertComponent a, Run run) {
    Bundle other = run.bundles().get(a.getCompareToSourceId());
    if (other == null) {
      return "no fixture " + a.getCompareToSourceId() + " to compare with";
    }
    List<String> values;
    List<String> others;
    try {
      values =
          fhirPath.evaluate(request, expression, IBase.class).stream()
              .map(TestScriptEvaluator::text)
              .toList();
      others =
          fhirPath.evaluate(other, a.getCompareToSourceExpression(), IBase.class).stream()
              .map(TestScriptEvaluator::text)
              .toList();
    } catch (RuntimeException e) {
      return "FHIRPath error comparing `" + expression + "`: " + e.getMessage();
    }
    boolean same = values.equals(others);
    return switch (a.hasOperator() ? a.getOperator() : TestScript.AssertionOperatorType.EQUALS) {
      case EQUALS ->
          same
              ? null
              : "`"
                  + expression
                  + "` gave "
                  + values
                  + ", "
                  + a.getCompareToSourceId()
                  + " has "
                  + others;
      case NOTEQUALS ->
          same
              ? "`" + expression + "` gave " + values + ", the same as " + a.getCompareToSourceId()
              : null;
      default -> "operator " + a.getOperator().toCode() + " not supported by the runner";
    };
  }

  private String expression(Bundle request, String expression, SetupActionAssertComponent a) {
    List<IBase> result;
    try {
      result = fhirPath.evaluate(request, expression, IBase.class);
    } catch (RuntimeException e) {
      return "FHIRPath error in `" + expression + "`: " + e.getMessage();
    }
    List<String> values = result.stream().map(TestScriptEvaluator::text).toList();
    if (a.hasOperator() && a.getOperator() == TestScript.AssertionOperatorType.EQUALS) {
      boolean ok = !values.isEmpty() && values.stream().allMatch(v -> v.equals(a.getValue()));
      return ok
          ? null
          : "`" + expression + "` gave " + values + ", expected '" + a.getValue() + "'";
    }
    if (a.hasOperator()) {
      return "operator " + a.getOperator().toCode() + " not supported by the runner";
    }
    // FHIRPath singleton evaluation: one boolean is itself, one other item is true, empty is false.
    boolean ok =
        result.size() == 1
            && (!(result.get(0) instanceof BooleanType b) || Boolean.TRUE.equals(b.getValue()));
    return ok ? null : "`" + expression + "` gave " + values;
  }

  private String substitute(
      String expression,
      Map<String, TestScript.TestScriptVariableComponent> variables,
      Sources sources,
      Run run,
      List<String> notes)
      throws UndefinedVariable, EmptyVariable {
    if (expression == null) {
      return null;
    }
    Matcher m = VARIABLE.matcher(expression);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      TestScript.TestScriptVariableComponent variable = variables.get(name);
      if (variable == null && variables.containsKey(name + "-01")) {
        // MedCom's forward scripts use ${hospitalSOR-new-message} and define only
        // hospitalSOR-new-message-01.
        String note =
            "variable ${"
                + name
                + "} is not defined; read as ${"
                + name
                + "-01}, the one the script defines";
        if (!notes.contains(note)) {
          notes.add(note);
        }
        variable = variables.get(name + "-01");
      }
      if (variable == null) {
        throw new UndefinedVariable("variable ${" + name + "} is used but not defined");
      }
      String source = variable.getSourceId();
      if (!sources.fixtures().contains(source)) {
        // TestScript: a variable's sourceId names a fixture or the requestId of an operation, whose
        // request is that operation's fixture.
        String requested = sources.requests().get(source);
        if (requested == null || !sources.fixtures().contains(requested)) {
          throw new UndefinedVariable(
              "variable ${"
                  + name
                  + "} reads sourceId '"
                  + source
                  + "', which names no fixture or request");
        }
        source = requested;
      }
      Bundle bundle = run.bundles().get(source);
      if (bundle == null) {
        throw new UndefinedVariable(
            "variable ${"
                + name
                + "} reads fixture '"
                + source
                + "', which the run did not produce");
      }
      List<IBase> values = fhirPath.evaluate(bundle, variable.getExpression(), IBase.class);
      if (values.isEmpty()) {
        // Substituting nothing would let '${a}' != '${b}' hold on two empty values.
        throw new EmptyVariable(
            "variable ${"
                + name
                + "} (`"
                + variable.getExpression()
                + "` on "
                + source
                + ") gives nothing");
      }
      String value = text(values.get(0));
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String text(IBase value) {
    if (value instanceof IPrimitiveType<?> p) {
      return p.getValueAsString();
    }
    return value.fhirType();
  }

  /** A variable whose expression gives nothing on its fixture: the assert using it fails. */
  private static final class EmptyVariable extends Exception {
    EmptyVariable(String message) {
      super(message);
    }
  }

  private static final class UndefinedVariable extends Exception {
    UndefinedVariable(String message) {
      super(message);
    }
  }
}
