package dk.sektorbro.gateway.platform.web;

/**
 * Paths of the REST API that other parts link to: an accepted or refused record answers with the
 * Location of its journal entry, whichever capability received it.
 */
public final class ApiPaths {

  /** The journal's message list; one entry is {@link #message(String)}. */
  public static final String MESSAGES = "/api/v1/messages";

  private ApiPaths() {}

  /** Where one journal entry, with its history and payloads, can be read. */
  public static String message(String journalId) {
    return MESSAGES + "/" + journalId;
  }
}
