package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.platform.web.ApiException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;

/**
 * An admin action that cannot be done as asked (wrong state, missing comment, unknown field). The
 * text, {@code key} in the message bundle filled with the arguments, is shown to the user, by the
 * console and (as an OperationOutcome) by the API, and carries no personal data. Arguments are
 * passed as text, so numbers are never grouped.
 */
public class ActionRefused extends ApiException {

  private ActionRefused(HttpStatus status, IssueType type, String key, Object[] arguments) {
    super(status, type, key, null, arguments, List.of());
  }

  public static ActionRefused notFound(String key, Object... arguments) {
    return new ActionRefused(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, key, arguments);
  }

  /** A missing or wrong value in the request. */
  public static ActionRefused invalid(String key, Object... arguments) {
    return new ActionRefused(HttpStatus.BAD_REQUEST, IssueType.REQUIRED, key, arguments);
  }

  /** The message is not in a state the action applies to. */
  public static ActionRefused conflict(String key, Object... arguments) {
    return new ActionRefused(HttpStatus.CONFLICT, IssueType.CONFLICT, key, arguments);
  }
}
