package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.MessageState;
import java.time.OffsetDateTime;

/** One line of the console's message list; the CPR number is masked (010203-xxxx). */
public record MessageRow(
    String id,
    OffsetDateTime receivedAt,
    String source,
    String sourceRecordId,
    MessageState state,
    String reason,
    String messageType,
    String recipientSor,
    String recipientGln,
    String recipientName,
    String maskedCpr) {}
