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
    String outboxPath) {

  /**
   * An entry as intake journals it: received, nothing translated, no file behind it (a dry run's
   * stand-in, a test's fixture).
   */
  public static JournalEntry received(
      String id,
      String source,
      String sourceRecordId,
      Channel channel,
      String contentType,
      long payloadSize,
      OffsetDateTime at,
      String canonicalRecord) {
    return new JournalEntry(
        id,
        source,
        sourceRecordId,
        null,
        channel,
        null,
        contentType,
        payloadSize,
        null,
        at,
        at,
        MessageState.RECEIVED,
        null,
        canonicalRecord,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** This entry in {@code state} with what translation made of it. */
  public JournalEntry withTranslation(MessageState state, Translation t) {
    return new JournalEntry(
        id,
        source,
        sourceRecordId,
        contentHash,
        channel,
        originalName,
        contentType,
        payloadSize,
        archivePath,
        receivedAt,
        updatedAt,
        state,
        stateReason,
        canonicalRecord,
        t.messageType(),
        t.messageHeaderId(),
        t.bundleId(),
        t.fhirMessage(),
        t.fhirFormat(),
        t.recipientSor(),
        t.recipientGln(),
        t.recipientName(),
        outboxPath);
  }
}
