package dk.sektorbro.gateway.journal;

/** Journal states. The names are part of the API. */
public enum MessageState {
  RECEIVED,
  TRANSLATED,
  SENT,
  FAILED;

  /** States a restart must pick up again. */
  public boolean unfinished() {
    return this == RECEIVED || this == TRANSLATED;
  }
}
