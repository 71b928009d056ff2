package dk.sektorbro.gateway.admin;

/** What an administrator or operator did; the names are stored in the audit log. */
public enum AuditAction {
  RETRY,
  RESEND,
  EDIT_AND_RETRY,
  DISCARD,
  RELEASE,
  BULK_RETRY,
  /**
   * A care-plan document's failed or cancelled delivery to a FHIR document endpoint, tried again.
   */
  RETRY_DOCUMENT_DELIVERY,
  /**
   * A received message kept from its municipal system (no onward-disclosure consent) handed over on
   * an administrator's word (target: the inbound message's id; docs/delivery.md).
   */
  RELEASE_INBOUND,
  /** A kept received message that is never to be handed over (target: its inbound id). */
  DISCARD_INBOUND,
  SUSPEND_ROUTE,
  RESUME_ROUTE,
  /** Opened a message's personal data (original, canonical record, FHIR message) in full. */
  VIEW_PERSONAL_DATA,
  /** A wrong password or user name at the API or the console (target: the source address). */
  LOGIN_FAILED,
  /** Too many failed logins: the user (or source) is refused for a while (docs/admin.md). */
  LOGIN_LOCKED,
  /**
   * A REST client's user submitted a record to a source it may not submit to (target: the source;
   * the refusal's journal entry, without the record).
   */
  INTAKE_FORBIDDEN,
  /** Recorded a consent or refusal through the API (target: the consent id). */
  RECORD_CONSENT,
  /** Revoked a consent or refusal through the API (target: the consent id). */
  REVOKE_CONSENT,
  /** Imported a consent or refusal (FHIR import; target: the consent id). */
  IMPORT_CONSENT,
  /** An address registry snapshot uploaded (or the bootstrap file imported at start). */
  IMPORT_REGISTRY,
  /** Retention removed the payloads of a batch of entries (the gateway itself, never a person). */
  RETENTION_PRUNE_CONTENT,
  /** Retention deleted a batch of entries with their history, after the history period. */
  RETENTION_DELETE_HISTORY
}
