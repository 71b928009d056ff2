package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.admin.AuditLog;
import dk.sektorbro.gateway.platform.DatabaseReachability;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The API is closed by default. HTTP Basic for system clients; INTAKE submits records (a source's
 * own intake user to its source only), OPERATOR reads the journal, ADMIN may do both. Only health
 * is open. Errors are OperationOutcomes too.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(HttpSecurity http, OperationOutcomes outcomes, Clock clock)
      throws Exception {
    http.authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    // Which source a user may submit to is decided with the source the intake
                    // looks up (intake.SubmitPermission, IntakePermissions); a source's own user
                    // reaches nothing else.
                    .requestMatchers(HttpMethod.POST, "/api/v1/records/**")
                    .hasAnyRole("INTAKE", SourceUsers.ROLE, "ADMIN")
                    // Recipients' acknowledgements over FHIR $process-message: a system client,
                    // like intake.
                    .requestMatchers(HttpMethod.POST, "/fhir/$process-message")
                    .hasAnyRole("INTAKE", "ADMIN")
                    .requestMatchers(HttpMethod.GET, "/api/v1/messages", "/api/v1/messages/**")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    .requestMatchers(HttpMethod.GET, "/api/v1/documents/**")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    // Consents: operators read, only admins record, revoke and import (anyRequest
                    // below).
                    .requestMatchers(HttpMethod.GET, "/api/v1/consents", "/api/v1/consents/**")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    // The list and the export with the CPR number in the body: reads like the GETs.
                    .requestMatchers(
                        HttpMethod.POST, "/api/v1/consents/_search", "/api/v1/consents/$export")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    // The audit of one citizen, the CPR number in the body: the audit log's
                    // readers.
                    .requestMatchers(HttpMethod.POST, "/api/v1/audit/_search")
                    .hasAnyRole("AUDITOR", "ADMIN")
                    // Registry reads for operators; uploads and resolve dry runs fall to the ADMIN
                    // default below.
                    .requestMatchers(HttpMethod.GET, "/api/v1/registry/**")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    .requestMatchers("/actuator/**")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    // Admin operations (docs/admin.md): operators retry and resend, the rest is
                    // ADMIN's; auditors read the audit log.
                    .requestMatchers(
                        HttpMethod.POST,
                        "/api/v1/messages/*/retry",
                        "/api/v1/messages/*/resend",
                        "/api/v1/messages/retry-failed",
                        "/api/v1/documents/*/delivery/retry")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    .requestMatchers(
                        HttpMethod.GET, "/api/v1/dashboard", "/api/v1/routes", "/api/v1/cluster")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    .requestMatchers(HttpMethod.GET, "/api/v1/audit")
                    .hasAnyRole("AUDITOR", "ADMIN")
                    .requestMatchers(
                        "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                    .authenticated()
                    .anyRequest()
                    .hasRole("ADMIN"))
        .httpBasic(basic -> basic.authenticationEntryPoint(new ApiLoginEntryPoint(outcomes, clock)))
        .exceptionHandling(
            ex ->
                ex.accessDeniedHandler(
                    (request, response, e) -> {
                      response.setStatus(403);
                      writeOutcome(response, outcomes, IssueType.FORBIDDEN, "request.forbidden");
                    }))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Stateless API with Basic credentials on every call: no session cookie to forge, no
        // token to check. A browser's cached Basic credentials are the remaining way: requests a
        // form of another site can make are refused (CrossSiteForms).
        .csrf(csrf -> csrf.disable())
        .addFilterBefore(new CrossSiteForms(outcomes), BasicAuthenticationFilter.class);
    return http.build();
  }

  @Bean
  GatewayUsers users(GatewayCredentials credentials, PasswordEncoder encoder) {
    return new GatewayUsers(credentials, encoder);
  }

  /**
   * The one way passwords are checked, for both chains: guarded against guessing, cached on
   * success.
   */
  @Bean
  GuardedAuthenticationProvider authenticationProvider(
      GatewayUsers users,
      PasswordEncoder encoder,
      AuditLog audit,
      Clock clock,
      MeterRegistry meters,
      JdbcClient jdbc,
      DatabaseReachability database) {
    DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
    passwords.setPasswordEncoder(encoder);
    return new GuardedAuthenticationProvider(
        passwords,
        new LoginAttempts(clock, new JdbcLoginFailureStore(jdbc)),
        new CredentialCache(clock),
        audit,
        users.names(),
        meters,
        database);
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  /** An OperationOutcome answer of the filters: its text is {@code key} in the message bundle. */
  private static void writeOutcome(
      HttpServletResponse response, OperationOutcomes outcomes, IssueType type, String key)
      throws IOException {
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.getWriter().write(outcomes.encodeError(type, key));
  }
}
