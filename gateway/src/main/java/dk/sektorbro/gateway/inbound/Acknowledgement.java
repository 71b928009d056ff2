package dk.sektorbro.gateway.inbound;

/**
 * A received MedCom Acknowledgement, reduced to what correlation needs.
 *
 * @param responseIdentifier MessageHeader.response.identifier = the id of the MessageHeader we sent
 * @param code ok, transient-error or fatal-error
 * @param operationOutcome the acknowledgement's OperationOutcome as JSON, or null
 * @param summary the outcome's issue codes and texts, for the journal reason
 * @param senderGln the GLN of the acknowledging organisation (MessageHeader.sender), or null
 */
public record Acknowledgement(
    String messageHeaderId,
    String bundleId,
    String responseIdentifier,
    String code,
    String operationOutcome,
    String summary,
    String senderGln) {

  public static final String OK = "ok";
  public static final String TRANSIENT_ERROR = "transient-error";
  public static final String FATAL_ERROR = "fatal-error";
}
