package dk.sektorbro.gateway.delivery.transport;

/**
 * What a transport did: where the message went (file path or URL) and, for HTTP, the response body,
 * which may already be the recipient's acknowledgement.
 */
public record TransportResult(String location, String responseBody, String responseContentType) {

  public static TransportResult written(String location) {
    return new TransportResult(location, null, null);
  }
}
