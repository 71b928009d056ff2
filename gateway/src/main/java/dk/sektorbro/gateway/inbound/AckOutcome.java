package dk.sektorbro.gateway.inbound;

/** What receiving one acknowledgement did. */
public enum AckOutcome {
  /** Correlated and applied: ACKNOWLEDGED, REJECTED, or a resend scheduled. */
  APPLIED,
  /** The message was already finished by an earlier acknowledgement: journaled, ignored. */
  DUPLICATE,
  /**
   * No sent message has this MessageHeader id, or it is in a state an acknowledgement cannot
   * change.
   */
  UNMATCHED,
  /**
   * A readable acknowledgement that is not valid against the Acknowledgement chain: recorded,
   * applied to nothing.
   */
  INVALID,
  /** Not a readable acknowledgement. */
  UNREADABLE,
  /**
   * A FHIR message from a hospital: handled by InboundMessages and answered with an
   * acknowledgement.
   */
  INBOUND_MESSAGE,
  /** The signature was refused (verification configured). */
  SIGNATURE_REFUSED
}
