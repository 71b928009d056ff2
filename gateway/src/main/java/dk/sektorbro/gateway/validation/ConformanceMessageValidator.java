package dk.sektorbro.gateway.validation;

/**
 * The gateway's validator: the MedCom chain of the message's family where its packages are
 * installed, else base R4 plus the gateway's own profiles (and the report's chain name says so).
 */
public final class ConformanceMessageValidator implements MessageValidator {

  private final ConformanceChains chains;

  public ConformanceMessageValidator(ConformanceChains chains) {
    this.chains = chains;
  }

  @Override
  public ValidationReport validate(String messageType, String message, String format) {
    // HAPI detects XML or JSON from the content itself, so the format needs no branch here.
    return chains.forType(messageType).validate(message);
  }
}
