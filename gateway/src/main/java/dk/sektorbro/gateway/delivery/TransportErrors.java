package dk.sektorbro.gateway.delivery;

import java.io.IOException;

/** How a failed transport attempt is recorded, for messages and documents alike. */
public final class TransportErrors {

  private TransportErrors() {}

  /**
   * Exception type and message, at most 500 characters: transport messages name hosts and statuses,
   * never content.
   */
  public static String describe(IOException e) {
    String text =
        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return text.length() > 500 ? text.substring(0, 500) : text;
  }
}
