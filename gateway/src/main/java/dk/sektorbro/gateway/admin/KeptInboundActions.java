package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.inbound.Handover;
import dk.sektorbro.gateway.inbound.KeptMessages;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an administrator does with a received message kept from its municipal system for want of a
 * consent that no consent change will ever bring (a citizen with a replacement CPR, whom no consent
 * can name): release it to the system, or discard it. Each is one transaction with its audit
 * record; the inbound message's row says who did what and why (docs/delivery.md).
 */
@Service
public class KeptInboundActions {

  private final KeptMessages kept;
  private final AuditLog audit;

  public KeptInboundActions(KeptMessages kept, AuditLog audit) {
    this.kept = kept;
    this.audit = audit;
  }

  /**
   * @return the hand-over's reason, as the row now says
   */
  @Transactional
  public String release(String actor, String id, String comment) {
    String why = AuditLog.reason(comment, "comment");
    Handover.Result result =
        kept.releaseByAdministrator(id, actor, why).orElseThrow(() -> notKept(id));
    if (result.status() != Handover.Status.HANDED_OVER) {
      // The citizen refused the disclosure: no administrator's word overrides that.
      throw ActionRefused.conflict("admin.inbound.refused", id);
    }
    audit.record(actor, AuditAction.RELEASE_INBOUND, null, id, why, result.reason());
    return result.reason();
  }

  @Transactional
  public void discard(String actor, String id, String reason) {
    String why = AuditLog.reason(reason, "reason");
    if (!kept.discardByAdministrator(id, actor, why)) {
      throw notKept(id);
    }
    audit.record(actor, AuditAction.DISCARD_INBOUND, null, id, why, null);
  }

  private ActionRefused notKept(String id) {
    return kept.exists(id)
        ? ActionRefused.conflict("admin.inbound.not-kept", id)
        : ActionRefused.notFound("admin.inbound.not-found", id);
  }
}
