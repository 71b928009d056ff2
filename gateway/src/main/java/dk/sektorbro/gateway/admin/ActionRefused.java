package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.platform.web.ApiException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;

/**
 * An admin action that cannot be done as asked (wrong state, missing comment, unknown field). The
 * text is shown to the user, by the console and (as an OperationOutcome) by the API, and carries no
 * personal data.
 */
public class ActionRefused extends ApiException {

  private ActionRefused(HttpStatus status, IssueType type, String text) {
    super(status, type, null, text, new Object[0], List.of());
  }

  public static ActionRefused notFound(String text) {
    return new ActionRefused(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, text);
  }

  /** A missing or wrong value in the request. */
  public static ActionRefused invalid(String text) {
    return new ActionRefused(HttpStatus.BAD_REQUEST, IssueType.REQUIRED, text);
  }

  /** The message is not in a state the action applies to. */
  public static ActionRefused conflict(String text) {
    return new ActionRefused(HttpStatus.CONFLICT, IssueType.CONFLICT, text);
  }
}
