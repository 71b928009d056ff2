package dk.sektorbro.gateway.security;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The admin console's own chain, ahead of the stateless API chain: people log in with a form and
 * keep a session (timeout: server.servlet.session.timeout), so every POST needs a CSRF token. The
 * pages use no script at all, which lets the CSP forbid every script; framing is denied.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityConfiguration {

  static final String CSP =
      "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:;"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

  private static final String DENIED_PAGE =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
          + "<title>Not allowed</title><link rel=\"stylesheet\" href=\"/admin/assets/admin.css\"></head><body><main>"
          + "<h1>Not allowed</h1><p id=\"denied\">Your role may not do this, or the form was stale (reload the page).</p>"
          + "<p><a href=\"/admin\">Back to the console</a></p></main></body></html>";

  @Bean
  @Order(1)
  SecurityFilterChain console(HttpSecurity http) throws Exception {
    http.securityMatcher("/admin", "/admin/**", "/login", "/logout")
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers("/admin/assets/**", "/login")
                    .permitAll()
                    .requestMatchers("/admin/audit", "/admin/audit/**")
                    .hasAnyRole("AUDITOR", "ADMIN")
                    .requestMatchers(
                        HttpMethod.POST,
                        "/admin/messages/*/retry",
                        "/admin/messages/*/resend",
                        "/admin/messages/retry-failed",
                        // The list's filter form, posted: its CPR number is no URL's.
                        "/admin/messages/filter")
                    .hasAnyRole("OPERATOR", "ADMIN")
                    .requestMatchers(HttpMethod.POST, "/admin/**")
                    .hasRole("ADMIN")
                    // The landing page sends each role where it may go; the denial page is for
                    // everyone logged in.
                    .requestMatchers("/admin", "/admin/", "/admin/denied")
                    .authenticated()
                    .anyRequest()
                    .hasAnyRole("OPERATOR", "ADMIN"))
        .formLogin(
            form ->
                form.loginPage("/login")
                    .defaultSuccessUrl("/admin", true)
                    .permitAll()
                    .failureHandler(
                        (request, response, e) ->
                            response.sendRedirect(
                                request.getContextPath()
                                    + (e instanceof LoginLocked
                                        ? "/login?locked"
                                        : e instanceof LoginUnavailable
                                            ? "/login?unavailable"
                                            : "/login?error"))))
        .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
        // Written here, not forwarded: a forwarded POST (e.g. a missing CSRF token) would be
        // refused again.
        .exceptionHandling(
            ex ->
                ex.accessDeniedHandler(
                    (request, response, e) -> {
                      response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                      response.setContentType("text/html;charset=UTF-8");
                      response.getWriter().write(DENIED_PAGE);
                    }))
        .sessionManagement(
            session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                    .frameOptions(frame -> frame.deny())
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)));
    return http.build();
  }
}
