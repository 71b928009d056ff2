package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.journal.Channel;

/**
 * One received item. Normally the bytes themselves; an item refused unread (too large) carries only
 * its size, the hash of what was kept, and where the original was archived.
 */
public record IntakeRequest(
    String source,
    Channel channel,
    byte[] payload,
    String contentType,
    String originalName,
    long size,
    String contentHash,
    String archivePath) {

  public static IntakeRequest of(
      String source, Channel channel, byte[] payload, String contentType, String name) {
    return new IntakeRequest(
        source,
        channel,
        payload,
        contentType,
        name,
        payload.length,
        IntakeService.sha256(payload),
        null);
  }

  public static IntakeRequest unread(
      String source,
      Channel channel,
      String contentType,
      String name,
      long size,
      String hash,
      String archivePath) {
    return new IntakeRequest(source, channel, null, contentType, name, size, hash, archivePath);
  }
}
