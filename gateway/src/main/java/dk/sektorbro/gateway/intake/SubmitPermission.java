package dk.sektorbro.gateway.intake;

import java.security.Principal;

/**
 * Whether an authenticated REST client may submit records to a source. The source names the
 * mapping, and so the sender kind the legal bases rest on (docs/consent.md): which system sent a
 * record must be a fact of its credentials, not a URL the client picks. The security package, which
 * knows the users, implements it; intake owns it so that it depends on nothing above itself.
 */
public interface SubmitPermission {

  /** Whether {@code client} may submit to {@code source}, a configured source or not. */
  boolean permits(Principal client, String source);

  /**
   * Audits a refusal, already journaled under {@code entryId}: the user, the source and the
   * client's address, never the record.
   */
  void refused(Principal client, String source, String entryId, String remoteAddress);
}
