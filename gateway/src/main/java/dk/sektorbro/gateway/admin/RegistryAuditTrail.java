package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.addressing.RegistryImported;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Who made which registry snapshot the active one: the registry announces it inside the import's
 * transaction and the audit log keeps it there, so an address decision that names a snapshot
 * (docs/addressing.md) can be traced to the account that uploaded it.
 */
@Component
class RegistryAuditTrail {

  private final AuditLog audit;

  RegistryAuditTrail(AuditLog audit) {
    this.audit = audit;
  }

  @EventListener
  void on(RegistryImported imported) {
    audit.record(
        imported.actor(),
        AuditAction.IMPORT_REGISTRY,
        null,
        imported.snapshot().id(),
        null,
        imported.detail());
  }
}
