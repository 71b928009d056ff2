package dk.sektorbro.gateway.validation;

/**
 * Validates one outbound FHIR message before it may be delivered. Behind this small interface so a
 * faster validator can replace the HAPI one without touching the routes. Implementations are
 * thread-safe and called from several workers at once.
 */
public interface MessageValidator {

  /**
   * @param messageType e.g. "CareCommunication": selects the conformance chain
   * @param message the encoded message exactly as it will be delivered
   * @param format "XML" or "JSON"
   */
  ValidationReport validate(String messageType, String message, String format);
}
