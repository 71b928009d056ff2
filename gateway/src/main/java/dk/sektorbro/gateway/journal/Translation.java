package dk.sektorbro.gateway.journal;

/** What the translation stage produced for an entry. */
public record Translation(
    String messageType,
    String messageHeaderId,
    String bundleId,
    String fhirMessage,
    String fhirFormat,
    String recipientSor,
    String recipientGln,
    String recipientName) {}
