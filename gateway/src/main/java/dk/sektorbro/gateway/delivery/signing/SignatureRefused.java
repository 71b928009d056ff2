package dk.sektorbro.gateway.delivery.signing;

/** An inbound payload whose signature is refused; the message says why, without content. */
public class SignatureRefused extends Exception {

  public SignatureRefused(String reason) {
    super(reason);
  }
}
