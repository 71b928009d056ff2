package dk.sektorbro.gateway.platform.web;

import dk.sektorbro.gateway.platform.DatabaseUnavailable;
import java.sql.SQLException;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * The one place API errors become answers: every {@link ApiException} of a capability and every
 * error of Spring MVC is an OperationOutcome with its status, its text from the message bundle
 * (messages.properties), never a stack trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  // The API speaks one language; the bundle has no translations to choose from.
  private static final Locale LOCALE = Locale.ROOT;

  private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

  /** What a 503 asks a client to wait while the database is away. */
  static final int RETRY_AFTER_SECONDS = 30;

  private final OperationOutcomes outcomes;
  private final MessageSource messages;

  public ApiExceptionHandler(OperationOutcomes outcomes, MessageSource messages) {
    this.outcomes = outcomes;
    this.messages = messages;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<String> refused(ApiException e) {
    return outcomes.refused(
        e.status(), e.type(), messages.getMessage(e, LOCALE), e.issues(), e.journalId());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<String> unreadable(HttpMessageNotReadableException e, HandlerMethod handler) {
    UnreadableBody answer =
        handler == null ? null : handler.getBeanType().getAnnotation(UnreadableBody.class);
    if (answer == null) {
      return unexpected(e);
    }
    return outcomes.error(
        HttpStatus.BAD_REQUEST, IssueType.fromCode(answer.type()), text(answer.key()));
  }

  /** A request body that breaks a constraint of its record ({@code @Valid}): the first one. */
  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<String> invalid(MethodArgumentNotValidException e) {
    return outcomes.error(
        HttpStatus.BAD_REQUEST,
        IssueType.REQUIRED,
        messages.getMessage(e.getBindingResult().getAllErrors().get(0), LOCALE));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<String> badParameter(MethodArgumentTypeMismatchException e) {
    return outcomes.error(
        HttpStatus.BAD_REQUEST, IssueType.VALUE, text("request.parameter.type", e.getName()));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<String> notFound(NoResourceFoundException e) {
    return outcomes.error(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, text("request.no-endpoint"));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
    return outcomes.error(
        HttpStatus.METHOD_NOT_ALLOWED,
        IssueType.NOTSUPPORTED,
        text("request.method", e.getMethod()));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e) {
    return outcomes.error(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, IssueType.NOTSUPPORTED, text("request.media-type"));
  }

  /**
   * PostgreSQL stores no U+0000 in text (SQLSTATE 22021). Records are checked for it at intake; an
   * admin's comment, a consent's field or a list filter carrying one reaches the database as the
   * caller sent it, and the transaction is rolled back: the caller's input, not an internal error
   * that sending again could cure.
   */
  @ExceptionHandler(DataIntegrityViolationException.class)
  ResponseEntity<String> notStorable(DataIntegrityViolationException e) {
    if (NestedExceptionUtils.getMostSpecificCause(e) instanceof SQLException sql
        && CHARACTER_NOT_IN_REPERTOIRE.equals(sql.getSQLState())) {
      return outcomes.error(HttpStatus.BAD_REQUEST, IssueType.VALUE, text("request.nul-character"));
    }
    return unexpected(e);
  }

  @ExceptionHandler(Exception.class)
  public ResponseEntity<String> unexpected(Exception e) {
    if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      // The caller hung up (closed tab, timeout): nothing to answer, nothing wrong here.
      log.debug("client disconnected cause={}", e.getClass().getSimpleName());
      return null;
    }
    if (DatabaseUnavailable.is(e)) {
      return databaseUnavailable(e);
    }
    log.error("request failed cause={}", e.getClass().getSimpleName());
    return outcomes.error(
        HttpStatus.INTERNAL_SERVER_ERROR, IssueType.EXCEPTION, text("request.internal-error"));
  }

  /**
   * The database is away: nothing of the request was committed (or, when the connection broke at
   * the commit, it may have been: the same record sent again is then answered as a duplicate). 503
   * with Retry-After tells a client to send it again; a 500 reads as a defect of the request.
   */
  private ResponseEntity<String> databaseUnavailable(Exception e) {
    log.warn(
        "request refused: the database is not available cause={}", e.getClass().getSimpleName());
    ResponseEntity<String> answer =
        outcomes.error(
            HttpStatus.SERVICE_UNAVAILABLE,
            IssueType.TRANSIENT,
            text("request.database-unavailable", RETRY_AFTER_SECONDS));
    return ResponseEntity.status(answer.getStatusCode())
        .headers(answer.getHeaders())
        .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
        .body(answer.getBody());
  }

  private String text(String key, Object... arguments) {
    return messages.getMessage(key, arguments, LOCALE);
  }
}
