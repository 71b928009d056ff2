package dk.sektorbro.gateway.consent;

import java.security.Principal;
import java.util.List;

/**
 * A gateway user read consents through the API: the audit log (admin) records each one read as a
 * read of personal data, naming the consent, never the citizen; a look-up that found none is
 * recorded too (that a citizen has no consent is personal data as well), without a target.
 * Published before the answer is written, so a read the audit log cannot keep is not answered.
 */
public record ConsentRead(String actor, List<String> consentIds, String how) {

  static ConsentRead of(Principal user, List<ConsentRecord> read, String how) {
    return new ConsentRead(user.getName(), read.stream().map(ConsentRecord::id).toList(), how);
  }
}
