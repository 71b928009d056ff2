package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.admin.AuditAction;
import dk.sektorbro.gateway.admin.AuditLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password checks for the API (Basic) and the console (form), guarded: a user or source with too
 * many failures is refused before the password is looked at ({@link LoginAttempts}); each failure
 * until then is written to the audit log and the log (user name only when it is a real user, so a
 * password typed into the name field is never kept); a success is cached ({@link CredentialCache}).
 */
public class GuardedAuthenticationProvider implements AuthenticationProvider {

  private static final Logger log = LoggerFactory.getLogger(GuardedAuthenticationProvider.class);
  static final String UNKNOWN_USER = "(unknown user)";

  private final AuthenticationProvider passwords;
  private final LoginAttempts attempts;
  private final CredentialCache cache;
  private final AuditLog audit;
  private final Set<String> users;
  private final MeterRegistry meters;

  public GuardedAuthenticationProvider(
      AuthenticationProvider passwords,
      LoginAttempts attempts,
      CredentialCache cache,
      AuditLog audit,
      Set<String> users,
      MeterRegistry meters) {
    this.passwords = passwords;
    this.attempts = attempts;
    this.cache = cache;
    this.audit = audit;
    this.users = users;
    this.meters = meters;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String user =
        users.contains(authentication.getName()) ? authentication.getName() : UNKNOWN_USER;
    String source = source(authentication);
    Instant lockedUntil = attempts.lockedUntil(user, source);
    if (lockedUntil != null) {
      meters.counter("gateway.login.refused", "reason", "locked").increment();
      throw new LoginLocked(lockedUntil);
    }
    String password =
        authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
    UserDetails cached = users.contains(user) ? cache.find(user, password) : null;
    if (cached != null) {
      UsernamePasswordAuthenticationToken result =
          UsernamePasswordAuthenticationToken.authenticated(cached, null, cached.getAuthorities());
      result.setDetails(authentication.getDetails());
      return result;
    }
    try {
      Authentication result = passwords.authenticate(authentication);
      if (result != null && result.getPrincipal() instanceof UserDetails details) {
        cache.remember(details, password);
        attempts.succeeded(user, source);
      }
      return result;
    } catch (BadCredentialsException e) {
      failed(user, source);
      throw e;
    }
  }

  private void failed(String user, String source) {
    LoginAttempts.Outcome outcome = attempts.failed(user, source);
    meters.counter("gateway.login.failed").increment();
    log.warn(
        "login failed user={} source={} failuresInARow={} locked={}",
        user,
        source,
        outcome.failures(),
        outcome.lockedUntil() != null);
    // Audited until the lock; while locked, refusals are counted in metrics only (a flood must not
    // fill the log).
    if (outcome.lockedUntil() == null || outcome.lockedNow()) {
      try {
        audit.record(
            user,
            outcome.lockedNow() ? AuditAction.LOGIN_LOCKED : AuditAction.LOGIN_FAILED,
            null,
            source,
            outcome.lockedNow()
                ? "too many failed logins: locked until " + outcome.lockedUntil()
                : "wrong password or user name",
            "failures in a row: " + outcome.failures());
      } catch (RuntimeException auditDown) {
        log.warn("login failure not audited cause={}", auditDown.getClass().getSimpleName());
      }
    }
  }

  private static String source(Authentication authentication) {
    if (authentication.getDetails() instanceof WebAuthenticationDetails details
        && details.getRemoteAddress() != null) {
      return details.getRemoteAddress();
    }
    return "unknown";
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
