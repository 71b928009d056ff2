package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The API's answer to a login that did not pass, as an OperationOutcome: 429 with Retry-After while
 * locked ({@link LoginLocked}), 503 with Retry-After while the database that counts failures is
 * away ({@link LoginUnavailable}: a client must read it as "later", not as a wrong password), else
 * 401 with the Basic challenge.
 */
class ApiLoginEntryPoint implements AuthenticationEntryPoint {

  private final OperationOutcomes outcomes;
  private final Clock clock;

  ApiLoginEntryPoint(OperationOutcomes outcomes, Clock clock) {
    this.outcomes = outcomes;
    this.clock = clock;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof LoginLocked locked) {
      response.setStatus(429);
      response.setHeader("Retry-After", String.valueOf(locked.retryAfterSeconds(clock.instant())));
      write(response, IssueType.THROTTLED, "request.login-locked");
      return;
    }
    if (e instanceof LoginUnavailable) {
      response.setStatus(503);
      response.setHeader("Retry-After", String.valueOf(LoginUnavailable.RETRY_AFTER_SECONDS));
      write(response, IssueType.TRANSIENT, "request.login-unavailable");
      return;
    }
    response.setStatus(401);
    response.setHeader("WWW-Authenticate", "Basic realm=\"sektorbro\"");
    write(response, IssueType.LOGIN, "request.authentication");
  }

  private void write(HttpServletResponse response, IssueType type, String key) throws IOException {
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.getWriter().write(outcomes.encodeError(type, key));
  }
}
