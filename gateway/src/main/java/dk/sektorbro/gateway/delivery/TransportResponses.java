package dk.sektorbro.gateway.delivery;

/**
 * Reads what a transport answered at once, such as an HTTP endpoint answering a post with the
 * acknowledgement. The acknowledgement capability implements it, so delivery does not depend on it.
 */
public interface TransportResponses {

  /** {@code body} is the non-blank response to the message of journal entry {@code entryId}. */
  void responded(String entryId, String body);
}
