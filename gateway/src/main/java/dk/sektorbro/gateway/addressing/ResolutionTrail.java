package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.addressing.Resolution.Outcome;
import dk.sektorbro.gateway.addressing.Resolution.Step;
import dk.sektorbro.gateway.addressing.Resolution.Suggestion;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule trail of one resolution (R16). A hold or failure ends the resolution at once: it is
 * thrown as {@link Decided} so each rule reads as a straight line.
 */
final class ResolutionTrail {

  private final Organisation given;
  private final Alternatives alternatives;
  private final List<Step> steps = new ArrayList<>();
  private String currentSor;

  ResolutionTrail(Organisation given, Alternatives alternatives) {
    this.given = given;
    this.alternatives = alternatives;
  }

  Organisation given() {
    return given;
  }

  Alternatives alternatives() {
    return alternatives;
  }

  /** The unit the resolution is at now: its path goes into the explanation of a hold or failure. */
  void at(String sorId) {
    currentSor = sorId;
  }

  void fix(String rule, String message, String before, String after) {
    steps.add(new Step(rule, message, before, after));
  }

  void hold(String rule, String message, String errorCode, List<Suggestion> suggestions) {
    throw end(Outcome.HELD, rule, message, errorCode, suggestions, null);
  }

  void fail(String rule, String message, String errorCode) {
    fail(rule, message, errorCode, List.of());
  }

  void fail(String rule, String message, String errorCode, List<Suggestion> suggestions) {
    throw end(Outcome.FAILED, rule, message, errorCode, suggestions, null);
  }

  /**
   * The address passed every check. Fixes the policy does not apply by themselves turn the result
   * into a hold that proposes the fixed address.
   */
  Resolution done(AddressingPolicy policy, Organisation resolved, List<String> unitPath) {
    List<String> needApproval =
        steps.stream().map(Step::rule).filter(r -> !policy.applies(r)).distinct().toList();
    if (!needApproval.isEmpty()) {
      Suggestion proposal =
          new Suggestion(
              resolved.sor(),
              resolved.gln(),
              resolved.name(),
              String.join(" > ", unitPath),
              "the address after " + String.join(", ", needApproval) + "; approve to send");
      String rule = needApproval.get(0);
      steps.add(
          new Step(
              rule,
              "fix by " + String.join(", ", needApproval) + " needs operator approval (policy)",
              null,
              null));
      return new Resolution(
          Outcome.HELD,
          given,
          null,
          reason(Outcome.HELD, rule, "fix needs operator approval"),
          null,
          steps,
          List.of(proposal),
          unitPath);
    }
    if (steps.isEmpty()) {
      return new Resolution(
          Outcome.UNCHANGED,
          given,
          resolved,
          "address confirmed against the registry",
          null,
          steps,
          List.of(),
          unitPath);
    }
    Step last = steps.get(steps.size() - 1);
    String rules = String.join(", ", steps.stream().map(Step::rule).distinct().toList());
    return new Resolution(
        Outcome.FIXED,
        given,
        resolved,
        "address fixed (" + rules + "): " + last.message(),
        null,
        steps,
        List.of(),
        unitPath);
  }

  private Decided end(
      Outcome outcome,
      String rule,
      String message,
      String errorCode,
      List<Suggestion> suggestions,
      Organisation resolved) {
    steps.add(new Step(rule, message, null, null));
    String reason =
        reason(outcome, rule, message) + (errorCode == null ? "" : " [" + errorCode + "]");
    return new Decided(
        new Resolution(
            outcome,
            given,
            resolved,
            reason,
            errorCode,
            steps,
            suggestions,
            currentSor == null ? List.of() : alternatives.names(currentSor)));
  }

  private static String reason(Outcome outcome, String rule, String message) {
    return (outcome == Outcome.HELD ? "address held (" : "address rejected (")
        + rule
        + "): "
        + message;
  }

  /** Ends a resolution early with its result. */
  static final class Decided extends RuntimeException {
    private final transient Resolution resolution;

    Decided(Resolution resolution) {
      super(null, null, false, false);
      this.resolution = resolution;
    }

    Resolution resolution() {
      return resolution;
    }
  }
}
