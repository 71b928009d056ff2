package dk.sektorbro.gateway.ack;

/** What receiving one acknowledgement did. */
public enum AckOutcome {
  /** Correlated and applied: ACKNOWLEDGED, REJECTED, or a resend scheduled. */
  APPLIED,
  /** The message was already finished by an earlier acknowledgement: journaled, ignored. */
  DUPLICATE,
  /** No sent message has this MessageHeader id, or it is in a state an acknowledgement cannot change. */
  UNMATCHED,
  /** Not a readable acknowledgement. */
  UNREADABLE,
  /** A FHIR message that is not an acknowledgement (inbound messages are not accepted yet). */
  NOT_ACKNOWLEDGEMENT,
  /** The signature was refused (verification configured). */
  SIGNATURE_REFUSED
}
