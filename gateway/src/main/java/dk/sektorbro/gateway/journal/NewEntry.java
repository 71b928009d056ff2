package dk.sektorbro.gateway.journal;

/**
 * What intake knows about an item when it first journals it; the CPR lets consent changes find held
 * entries.
 */
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
    String canonicalRecord,
    String citizenCpr) {

  /** An entry without a known citizen (e.g. refused before mapping). */
  public NewEntry(
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
    this(
        source,
        sourceRecordId,
        contentHash,
        channel,
        originalName,
        contentType,
        payload,
        payloadSize,
        archivePath,
        canonicalRecord,
        null);
  }

  /** Same record, same content: the key that makes a second submission a duplicate. */
  public String idempotencyKey() {
    return (sourceRecordId == null ? "" : sourceRecordId) + "|" + contentHash;
  }
}
