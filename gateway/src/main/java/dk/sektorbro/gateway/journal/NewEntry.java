package dk.sektorbro.gateway.journal;

/** What intake knows about an item when it first journals it. */
public record NewEntry(
    String source,
    String sourceRecordId,
    String contentHash,
    Channel channel,
    String originalName,
    String contentType,
    byte[] payload,
    long payloadSize,
    String archivePath,
    String canonicalRecord) {

  /** Same record, same content: the key that makes a second submission a duplicate. */
  public String idempotencyKey() {
    return (sourceRecordId == null ? "" : sourceRecordId) + "|" + contentHash;
  }
}
