package dk.sektorbro.gateway.platform.web;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Errors outside the controllers' own handling still answer with an OperationOutcome, never a stack
 * trace.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final OperationOutcomes outcomes;

  public ApiExceptionHandler(OperationOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<String> badParameter(MethodArgumentTypeMismatchException e) {
    return outcomes.error(
        HttpStatus.BAD_REQUEST, IssueType.VALUE, e.getName() + ": wrong type of value");
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<String> notFound(NoResourceFoundException e) {
    return outcomes.error(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no such endpoint");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
    return outcomes.error(
        HttpStatus.METHOD_NOT_ALLOWED,
        IssueType.NOTSUPPORTED,
        e.getMethod() + " is not supported here");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e) {
    return outcomes.error(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE, IssueType.NOTSUPPORTED, "unsupported Content-Type");
  }

  @ExceptionHandler(Exception.class)
  public ResponseEntity<String> unexpected(Exception e) {
    if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      // The caller hung up (closed tab, timeout): nothing to answer, nothing wrong here.
      log.debug("client disconnected cause={}", e.getClass().getSimpleName());
      return null;
    }
    log.error("request failed cause={}", e.getClass().getSimpleName());
    return outcomes.error(
        HttpStatus.INTERNAL_SERVER_ERROR,
        IssueType.EXCEPTION,
        "internal error: the request was not completed and may not be in the journal; send it again"
            + " (a record already journaled is answered as a duplicate, never processed twice)");
  }
}
