package dk.sektorbro.gateway.platform.web;

import dk.sektorbro.gateway.platform.DatabaseReachability;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * While the database is away ({@link DatabaseReachability}, known within 5 s), an API request that
 * passed the login is answered 503 with Retry-After at once, as {@link ApiExceptionHandler} answers
 * one that failed on the database: it waited first for the connection pool (30 s), longer than many
 * clients wait, and then got the same answer. Registered after Spring Security, so an anonymous or
 * wrong login is still told so.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseAwayAnswers {

  private static final Logger log = LoggerFactory.getLogger(DatabaseAwayAnswers.class);

  @Bean
  FilterRegistrationBean<OncePerRequestFilter> databaseAwayFilter(
      DatabaseReachability database, OperationOutcomes outcomes) {
    FilterRegistrationBean<OncePerRequestFilter> registration =
        new FilterRegistrationBean<>(new Answer(database, outcomes));
    registration.addUrlPatterns("/api/*", "/fhir/*");
    // Spring Security's chain is at -100 (SecurityProperties.DEFAULT_FILTER_ORDER).
    registration.setOrder(0);
    return registration;
  }

  static final class Answer extends OncePerRequestFilter {

    private final DatabaseReachability database;
    private final OperationOutcomes outcomes;

    Answer(DatabaseReachability database, OperationOutcomes outcomes) {
      this.database = database;
      this.outcomes = outcomes;
    }

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if (database.unreachable().isEmpty()) {
        chain.doFilter(request, response);
        return;
      }
      // DEBUG: a client resending every few seconds must not fill the log; health says DOWN.
      log.debug("request refused: the database is not available");
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      response.setHeader(
          HttpHeaders.RETRY_AFTER, String.valueOf(ApiExceptionHandler.RETRY_AFTER_SECONDS));
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response
          .getWriter()
          .write(
              outcomes.encodeError(
                  IssueType.TRANSIENT,
                  "request.database-unavailable",
                  ApiExceptionHandler.RETRY_AFTER_SECONDS));
    }
  }
}
