package dk.sektorbro.gateway.consent;

import java.util.List;

/**
 * The policy's answer for one disclosure. {@code basis} names the rule that decided (a legal-basis
 * code, {@code consent}, {@code refusal}, or a reason to hold); {@code consentId} is the consent or
 * refusal it rests on, if any; {@code notes} explain what was considered and rejected.
 */
public record PolicyDecision(
    Outcome outcome, String basis, String consentId, String reason, List<String> notes) {

  public PolicyDecision {
    notes = List.copyOf(notes);
  }

  public enum Outcome {
    PERMIT,
    HOLD,
    DENY
  }

  /** Basis codes that are not legal-basis rules. */
  public static final String CONSENT = "consent";

  public static final String REFUSAL = "refusal";
  public static final String NO_BASIS = "no-basis";
  public static final String UNDETERMINED = "undetermined";
}
