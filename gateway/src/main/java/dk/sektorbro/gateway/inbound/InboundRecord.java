package dk.sektorbro.gateway.inbound;

/**
 * What the gateway answered to a received message, kept for duplicates; {@code contentHash} ({@link
 * ContentHash}) tells a resend from changed content under the same MessageHeader id (null for rows
 * from before V58).
 */
public record InboundRecord(
    String id,
    String bundleId,
    String messageHeaderId,
    String responseCode,
    String reason,
    String handoverPath,
    String ackMessage,
    String contentHash) {}
