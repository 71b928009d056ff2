package dk.sektorbro.gateway.gate;

import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.record.CanonicalRecord;

/**
 * What a gate decided. PASS lets the record go on (with the record possibly changed, e.g. an
 * address fix); HOLD parks it in a held state until someone or something releases it; FAIL ends it.
 * {@code reason} is for people, {@code detail} (JSON) for the explanation trail. {@code addressed}:
 * the recipient as addressing resolved it, which the journal entry shows from then on (written by
 * the gate stage together with the decisions).
 */
public record GateDecision(
    Kind kind,
    MessageState holdState,
    String reason,
    String detail,
    CanonicalRecord changed,
    CanonicalRecord.Organisation addressed) {

  public GateDecision(
      Kind kind, MessageState holdState, String reason, String detail, CanonicalRecord changed) {
    this(kind, holdState, reason, detail, changed, null);
  }

  public enum Kind {
    PASS,
    HOLD,
    FAIL
  }

  public static GateDecision pass(String reason, String detail) {
    return new GateDecision(Kind.PASS, null, reason, detail, null);
  }

  /** Passes with a changed record (the change itself must be explained in reason and detail). */
  public static GateDecision passChanged(CanonicalRecord changed, String reason, String detail) {
    return new GateDecision(Kind.PASS, null, reason, detail, changed);
  }

  /** The same decision, with the recipient as addressing resolved it. */
  public GateDecision withAddressed(CanonicalRecord.Organisation recipient) {
    return new GateDecision(kind, holdState, reason, detail, changed, recipient);
  }

  public static GateDecision hold(MessageState state, String reason, String detail) {
    return new GateDecision(Kind.HOLD, state, reason, detail, null);
  }

  public static GateDecision fail(String reason, String detail) {
    return new GateDecision(Kind.FAIL, null, reason, detail, null);
  }
}
