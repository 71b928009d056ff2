package dk.sektorbro.gateway.inbound;

/** The payload is not a readable MedCom Acknowledgement; the message says why, without content. */
public class NotAnAcknowledgement extends Exception {

  private final boolean otherMessage;

  public NotAnAcknowledgement(String reason, boolean otherMessage) {
    super(reason);
    this.otherMessage = otherMessage;
  }

  /** A readable FHIR message of another kind (an inbound message, not an acknowledgement). */
  public boolean otherMessage() {
    return otherMessage;
  }
}
