package dk.sektorbro.gateway.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests Spring Security's firewall refuses (a semicolon or {@code ..} in the path, an encoded
 * slash): a 400 OperationOutcome. Before, the refusal went to the error page through the security
 * filters again and came back as 401 "authentication required", even to a caller with the right
 * password, who was then sent looking for the wrong fault. Used by the filter chain as the bean of
 * its type.
 */
@Component
class RejectedRequests implements RequestRejectedHandler {

  private static final Logger log = LoggerFactory.getLogger(RejectedRequests.class);

  private final OperationOutcomes outcomes;

  RejectedRequests(OperationOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
      throws IOException {
    // Neither the URL nor the exception's text: either may quote what the caller sent.
    log.debug("request rejected by the firewall");
    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(outcomes.encodeError(IssueType.SECURITY, "request.rejected"));
  }
}
