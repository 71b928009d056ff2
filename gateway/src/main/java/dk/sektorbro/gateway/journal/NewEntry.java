package dk.sektorbro.gateway.journal;

/**
 * What intake knows about an item when it first journals it; the CPR lets consent changes find held
 * entries. {@code recordHash} is the hash of the record as the mapping read it (null when it was
 * not read): an accepted record with the same one under the same record id is a duplicate, whatever
 * its bytes.
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
    String citizenCpr,
    String recordHash) {

  /** An entry without a record hash (e.g. refused before mapping). */
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
      String canonicalRecord,
      String citizenCpr) {
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
        citizenCpr,
        null);
  }

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
