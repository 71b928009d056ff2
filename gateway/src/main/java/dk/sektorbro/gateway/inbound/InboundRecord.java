package dk.sektorbro.gateway.inbound;

/** What the gateway answered to a received message, kept for duplicates. */
public record InboundRecord(
    String id,
    String bundleId,
    String messageHeaderId,
    String responseCode,
    String reason,
    String handoverPath,
    String ackMessage) {}
