package dk.sektorbro.gateway.platform;

/**
 * A failure that retrying cannot fix (bad content, missing address). The message says why in words
 * an operator understands and never contains personal data; the entry ends FAILED at once.
 */
public class PermanentFailure extends RuntimeException {

  public PermanentFailure(String reason) {
    super(reason);
  }
}
