package dk.sektorbro.gateway.consent;

import java.security.Principal;
import java.util.List;

/**
 * A gateway user read consents through the API: the audit log (admin) records each one read as a
 * read of personal data, naming the consent; a look-up by CPR number names the citizen looked up
 * too ({@code citizenCpr}, null for a read by consent id), in the audit log's own column, also when
 * it found none (that a citizen has no consent is personal data as well). Published before the
 * answer is written, so a read the audit log cannot keep is not answered.
 */
public record ConsentRead(String actor, String citizenCpr, List<String> consentIds, String how) {

  static ConsentRead of(Principal user, List<ConsentRecord> read, String how) {
    return lookUp(user, null, read, how);
  }

  static ConsentRead lookUp(Principal user, String cpr, List<ConsentRecord> read, String how) {
    return new ConsentRead(user.getName(), cpr, read.stream().map(ConsentRecord::id).toList(), how);
  }
}
