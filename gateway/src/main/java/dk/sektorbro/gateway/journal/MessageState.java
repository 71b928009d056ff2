package dk.sektorbro.gateway.journal;

import java.util.List;

/** Journal states. The names are part of the API. */
public enum MessageState {
  /** Journaled with its canonical record; outbound gates (consent, addressing) come next. */
  RECEIVED,
  /** Passed the gates and translated to a MedCom message; validation comes next. */
  TRANSLATED,
  /** The message is valid against its conformance chain; delivery comes next. */
  VALIDATED,
  /**
   * Handed to the recipient's transport (postbox folder written, or HTTP endpoint accepted it);
   * waiting for the recipient's MedCom Acknowledgement. Resent when none comes in time.
   */
  SENT,
  /** Cannot go on without a change; the reason says why. */
  FAILED,
  /**
   * No legal basis to disclose yet (no covering consent, no applicable legal rule): never delivered
   * in this state. Goes back to RECEIVED when a consent change covers it, or to EXPIRED.
   */
  HELD_CONSENT,
  /**
   * Terminal: a hold that nothing released within the configured time
   * (gateway.consent.hold-expiry).
   */
  EXPIRED,
  /**
   * Held by addressing: the recipient needs an operator (conflict, several candidates, a fix the
   * policy does not apply by itself) or a newer registry snapshot; history shows suggestions.
   */
  HELD_ADDRESS,
  /**
   * The transport failed transiently (I/O error, HTTP 5xx, timeout): still queued in the delivery
   * schedule, retried with back-off, never dropped. Guards recheck before every attempt.
   */
  RETRYING,
  /** Terminal: the recipient acknowledged the message with response code {@code ok}. */
  ACKNOWLEDGED,
  /**
   * Terminal: the recipient answered {@code fatal-error}; its OperationOutcome is in the history.
   * Resending without a change is pointless (MedCom AE).
   */
  REJECTED,
  /**
   * Terminal: an administrator decided the message is not to be delivered (wrong record, sent some
   * other way); the audit log and the history say who and why. Never delivered.
   */
  DISCARDED,
  /**
   * Set aside: a stage was started on it {@code gateway.pipeline.max-attempts} times without it
   * moving on (it failed, or the process died, each time). Recovery skips it, so one poison record
   * cannot stop the gateway; an administrator retries, edits or discards it.
   */
  QUARANTINED;

  /** States the pipeline moves on by itself, and a restart picks up again. */
  public static final List<MessageState> UNFINISHED = List.of(RECEIVED, TRANSLATED, VALIDATED);
}
