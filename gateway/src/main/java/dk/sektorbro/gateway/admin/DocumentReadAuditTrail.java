package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.careplan.DocumentRead;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A care-plan version read in full through the documents API is the same access to personal data as
 * {@code GET /api/v1/messages/{id}}: audited as VIEW_PERSONAL_DATA on the plan's journal entry, so
 * the message's page lists it with the other views.
 */
@Component
class DocumentReadAuditTrail {

  private final AuditLog audit;

  DocumentReadAuditTrail(AuditLog audit) {
    this.audit = audit;
  }

  @EventListener
  void on(DocumentRead read) {
    audit.record(
        read.actor(),
        AuditAction.VIEW_PERSONAL_DATA,
        read.journalId(),
        read.documentId(),
        "opened via api (care-plan " + read.form() + ")",
        null);
  }
}
