package dk.sektorbro.gateway.admin;

import java.time.OffsetDateTime;

/**
 * One audited action: who did what to which entry or route, when and why; {@code citizen} the
 * citizen a look-up by CPR number was about, masked (010203-xxxx), else null.
 */
public record AuditEntry(
    long id,
    OffsetDateTime occurredAt,
    String actor,
    String action,
    String entryId,
    String target,
    String reason,
    String detail,
    String citizen) {}
