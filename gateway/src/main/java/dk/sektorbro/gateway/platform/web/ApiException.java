package dk.sektorbro.gateway.platform.web;

import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpStatus;

/**
 * A request the gateway will not do as asked. {@link ApiExceptionHandler} answers it with an
 * OperationOutcome and the status: the user text is looked up in the message bundle
 * (messages.properties) by {@link #key()}, or, for capabilities whose domain texts are shared with
 * the console, given as a ready text. Either way no personal data: the message reaches logs.
 */
public class ApiException extends RuntimeException implements MessageSourceResolvable {

  private final HttpStatus status;
  private final IssueType type;
  private final String key;
  private final Object[] arguments;
  private final List<Issue> issues;
  private final String journalId;

  protected ApiException(
      HttpStatus status,
      IssueType type,
      String key,
      String text,
      Object[] arguments,
      List<Issue> issues) {
    this(status, type, key, text, arguments, issues, null);
  }

  /**
   * A refusal of something the gateway journaled: the answer carries {@code journalId} as its id
   * and names the entry in its Location header.
   */
  protected ApiException(
      HttpStatus status,
      IssueType type,
      String key,
      String text,
      Object[] arguments,
      List<Issue> issues,
      String journalId) {
    super(key != null ? key : text);
    this.status = status;
    this.type = type;
    this.key = key;
    this.arguments = arguments;
    this.issues = List.copyOf(issues);
    this.journalId = journalId;
  }

  /** A refusal whose text is {@code key} in the message bundle, filled with {@code arguments}. */
  public static ApiException of(
      HttpStatus status, IssueType type, String key, Object... arguments) {
    return new ApiException(status, type, key, null, arguments, List.of());
  }

  public static ApiException notFound(String key, Object... arguments) {
    return of(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, key, arguments);
  }

  /** A query parameter or path value the gateway cannot use. */
  public static ApiException badValue(String key, Object... arguments) {
    return of(HttpStatus.BAD_REQUEST, IssueType.VALUE, key, arguments);
  }

  /** A body that breaks rules: 422 with one OperationOutcome issue per broken rule. */
  public static ApiException unprocessable(String key, List<Issue> issues) {
    return new ApiException(
        HttpStatus.UNPROCESSABLE_ENTITY, IssueType.INVALID, key, null, new Object[0], issues);
  }

  public HttpStatus status() {
    return status;
  }

  public IssueType type() {
    return type;
  }

  /** The message bundle key, or null when the text is given. */
  public String key() {
    return key;
  }

  public List<Issue> issues() {
    return issues;
  }

  /** The journal entry of a refused item, or null when nothing was journaled. */
  public String journalId() {
    return journalId;
  }

  @Override
  public String[] getCodes() {
    return key == null ? null : new String[] {key};
  }

  @Override
  public Object[] getArguments() {
    return arguments;
  }

  @Override
  public String getDefaultMessage() {
    return key == null ? getMessage() : null;
  }
}
