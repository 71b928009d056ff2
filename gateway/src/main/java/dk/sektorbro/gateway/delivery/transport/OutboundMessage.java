package dk.sektorbro.gateway.delivery.transport;

/**
 * One message ready for a transport: the payload as it goes on the wire (FHIR message, maybe
 * signed, maybe in an envelope), with what transports need to name and label it.
 */
public record OutboundMessage(
    String journalId,
    String recipientGln,
    String messageHeaderId,
    byte[] payload,
    String contentType,
    String fileExtension) {}
