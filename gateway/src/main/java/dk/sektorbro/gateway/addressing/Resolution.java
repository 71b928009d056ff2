package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.util.List;

/**
 * What addressing decided for one recipient, with everything needed to explain it (R16): the rule
 * trail, the unit path by registry names, and alternatives an operator can pick from.
 */
public record Resolution(
    Outcome outcome,
    Organisation given,
    Organisation resolved,
    String reason,
    String errorCode,
    List<Step> trail,
    List<Suggestion> suggestions,
    List<String> unitPath) {

  public Resolution {
    trail = List.copyOf(trail);
    suggestions = List.copyOf(suggestions);
    unitPath = unitPath == null ? List.of() : List.copyOf(unitPath);
  }

  public enum Outcome {
    /** The address was right as given. */
    UNCHANGED,
    /** The address was completed or corrected by rules the policy applies automatically. */
    FIXED,
    /**
     * An operator must decide (conflict, several candidates, a fix the policy does not auto-apply).
     */
    HELD,
    /** The message cannot be delivered to this recipient. */
    FAILED
  }

  /**
   * One rule that fired: its id, what it found, and the value before and after where it changed
   * one.
   */
  public record Step(String rule, String message, String before, String after) {}

  /** An alternative recipient, with the registry path and why it is offered. */
  public record Suggestion(String sor, String gln, String name, String path, String why) {}

  /** The MedCom acknowledgement error codes used where one fits (addressing.md §7). */
  public static final String RECEIVER_UNKNOWN = "MSG_Receiver_Identifier_UNKNOWN";

  public static final String RECEIVER_MISSING = "MSG_Receiver_Identifier_MISSING";
  public static final String UNABLE_TO_RECEIVE_TYPE = "MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE";
  public static final String MAILBOX_OUT_OF_OPERATION = "MSG_Mailbox_Out_Of_Operation";
}
