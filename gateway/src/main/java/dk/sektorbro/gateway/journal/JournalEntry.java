package dk.sektorbro.gateway.journal;

import java.time.OffsetDateTime;

/** One journaled item as stored. Payload bytes are loaded only where asked for. */
public record JournalEntry(
    String id,
    String source,
    String sourceRecordId,
    String contentHash,
    Channel channel,
    String originalName,
    String contentType,
    long payloadSize,
    String archivePath,
    OffsetDateTime receivedAt,
    OffsetDateTime updatedAt,
    MessageState state,
    String stateReason,
    String canonicalRecord,
    String messageType,
    String messageHeaderId,
    String bundleId,
    String fhirMessage,
    String fhirFormat,
    String recipientSor,
    String recipientGln,
    String recipientName,
    String outboxPath) {}
