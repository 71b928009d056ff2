package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.consent.ConsentAudited;
import dk.sektorbro.gateway.consent.ConsentRead;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Which gateway user recorded, revoked or imported which consent: the consent registry announces
 * each change inside its transaction, and the audit log keeps it there, so a decision that names a
 * consent record can be traced to the account that entered it (the form's collector and witness are
 * in the record itself).
 */
@Component
class ConsentAuditTrail {

  private final AuditLog audit;

  ConsentAuditTrail(AuditLog audit) {
    this.audit = audit;
  }

  @EventListener
  void on(ConsentAudited change) {
    AuditAction action =
        switch (change.action()) {
          case RECORDED -> AuditAction.RECORD_CONSENT;
          case REVOKED -> AuditAction.REVOKE_CONSENT;
          case IMPORTED -> AuditAction.IMPORT_CONSENT;
        };
    audit.record(change.actor(), action, null, change.consentId(), null, change.detail());
  }

  /**
   * A read of consents through the API: one record per consent read, as for a message's data; one
   * without a target for a look-up that found none. A look-up by CPR number names the citizen in
   * the audit log's citizen column, found or not (who looked at whom, when and how).
   */
  @EventListener
  void on(ConsentRead read) {
    if (read.consentIds().isEmpty()) {
      audit.record(
          read.actor(),
          AuditAction.VIEW_PERSONAL_DATA,
          null,
          null,
          "consent look-up via " + read.how() + ": no consent found",
          null,
          null,
          read.citizenCpr());
    }
    for (String consentId : read.consentIds()) {
      audit.record(
          read.actor(),
          AuditAction.VIEW_PERSONAL_DATA,
          null,
          consentId,
          "consent read via " + read.how(),
          null,
          null,
          read.citizenCpr());
    }
  }
}
