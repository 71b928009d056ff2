package dk.sektorbro.gateway.inbound;

/**
 * A received message that cannot be taken as it is, whatever happens next: answered {@code
 * fatal-error} with this MedCom issue-details code (never transient-error, which would make the
 * sender resend the same message forever). The message says why, without content.
 */
public class HandoverRefused extends RuntimeException {

  private final String issueCode;

  public HandoverRefused(String issueCode, String reason) {
    super(reason);
    this.issueCode = issueCode;
  }

  /** A code of the FHIR operation-outcome system in MedCom's issue-details ValueSet. */
  public String issueCode() {
    return issueCode;
  }
}
