package dk.sektorbro.gateway.journal;

/**
 * The thread row (thread_message, direction SENT) of a CareCommunication the gateway built, written
 * in the same statement as the move to TRANSLATED. It has no text of its own: its text is the
 * entry's fhir_message, for as long as the entry carries this MessageHeader id.
 */
public record ThreadRow(String messageHeaderId, String threadId, String episodeOfCareId) {}
