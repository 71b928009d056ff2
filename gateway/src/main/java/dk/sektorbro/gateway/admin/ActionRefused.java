package dk.sektorbro.gateway.admin;

/**
 * An admin action that cannot be done as asked (wrong state, missing comment, unknown field). The
 * message is shown to the user and carries no personal data.
 */
public class ActionRefused extends RuntimeException {

  /** Why, in HTTP terms: the API answers with this status. */
  public enum Kind {
    NOT_FOUND(404),
    INVALID(400),
    CONFLICT(409);

    private final int status;

    Kind(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final Kind kind;

  public ActionRefused(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
