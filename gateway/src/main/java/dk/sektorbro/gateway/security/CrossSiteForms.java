package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CSRF protection of the HTTP Basic API. A browser that was once given a user's Basic credentials
 * (the Swagger UI, an API address opened by hand) sends them with every request to the gateway,
 * also with a form another site's page submits or a no-cors fetch it makes. Those can only carry
 * the three content types of an HTML form (or none), which no API action takes: JSON, FHIR and XML
 * need a CORS preflight, which the gateway never grants. So a changing request in one of those
 * types is refused 415 before its credentials are even checked (no login counted, nothing read).
 *
 * <p>Record intake is left to its own check: it takes only its source's format, and refuses and
 * journals every other type itself (nothing received goes unrecorded).
 */
final class CrossSiteForms extends OncePerRequestFilter {

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  /** What a form or no-cors fetch can send: the CORS-safelisted request content types. */
  private static final Set<String> FORM_TYPES =
      Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");

  static final String INTAKE = "/api/v1/records/";

  private final OperationOutcomes outcomes;

  CrossSiteForms(OperationOutcomes outcomes) {
    this.outcomes = outcomes;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return SAFE_METHODS.contains(request.getMethod())
        || request.getRequestURI().startsWith(request.getContextPath() + INTAKE);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!formLike(request.getContentType())) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response
        .getWriter()
        .write(outcomes.encodeError(IssueType.NOTSUPPORTED, "request.form-content-type"));
  }

  /** No type at all is what a no-cors fetch of a typeless Blob sends. */
  static boolean formLike(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return FORM_TYPES.contains(type);
  }
}
