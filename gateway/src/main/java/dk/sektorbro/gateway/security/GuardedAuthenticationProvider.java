package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.admin.AuditAction;
import dk.sektorbro.gateway.admin.AuditLog;
import dk.sektorbro.gateway.platform.DatabaseReachability;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
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
 *
 * <p>While the database that keeps the counts is away ({@link DatabaseReachability}, which answers
 * within seconds; the counts themselves waited for the connection pool's 30 s, twice per login), a
 * password is not checked at all, since a failure could not be counted: the login is refused with
 * {@link LoginUnavailable}. Only a password proven right in the last minutes (the cache) goes on,
 * so monitors and system clients keep working; and not from a user and address that has had a
 * refused attempt during the outage, else the cache would answer guesses uncounted.
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
  private final DatabaseReachability database;

  /** User and address pairs refused during the current outage; forgotten when it is over. */
  private final Set<String> refusedWhileAway = ConcurrentHashMap.newKeySet();

  /** Beyond this many refused pairs in one outage, no cached password is taken from anyone. */
  static final int REFUSED_PAIRS_KEPT = 10_000;

  public GuardedAuthenticationProvider(
      AuthenticationProvider passwords,
      LoginAttempts attempts,
      CredentialCache cache,
      AuditLog audit,
      Set<String> users,
      MeterRegistry meters,
      DatabaseReachability database) {
    this.passwords = passwords;
    this.attempts = attempts;
    this.cache = cache;
    this.audit = audit;
    this.users = users;
    this.meters = meters;
    this.database = database;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String user =
        users.contains(authentication.getName()) ? authentication.getName() : UNKNOWN_USER;
    String source = source(authentication);
    String password =
        authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
    Optional<String> away = database.unreachable();
    Instant lockedUntil;
    try {
      if (away.isPresent()) {
        return whileDatabaseAway(authentication, user, source, password, away.get());
      }
      lockedUntil = attempts.lockedUntil(user, source);
    } catch (DataAccessException e) {
      // Gone since the last check: the next login asks the database again, not the kept verdict.
      database.recheck();
      return whileDatabaseAway(
          authentication, user, source, password, e.getClass().getSimpleName());
    }
    refusedWhileAway.clear();
    if (lockedUntil != null) {
      meters.counter("gateway.login.refused", "reason", "locked").increment();
      throw new LoginLocked(lockedUntil);
    }
    UserDetails cached = users.contains(user) ? cache.find(user, password) : null;
    if (cached != null) {
      return authenticated(cached, authentication);
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

  private Authentication whileDatabaseAway(
      Authentication authentication, String user, String source, String password, String why) {
    String pair = user + "|" + source;
    boolean trusted =
        users.contains(user)
            && !refusedWhileAway.contains(pair)
            && refusedWhileAway.size() < REFUSED_PAIRS_KEPT;
    UserDetails cached = trusted ? cache.find(user, password) : null;
    if (cached != null) {
      return authenticated(cached, authentication);
    }
    meters.counter("gateway.login.refused", "reason", "database").increment();
    if (refusedWhileAway.size() < REFUSED_PAIRS_KEPT && refusedWhileAway.add(pair)) {
      // Once per user and address and outage: a flood must not fill the log.
      log.warn(
          "login not checked: the database is not available user={} source={} cause={}",
          user,
          source,
          why);
    }
    throw new LoginUnavailable();
  }

  private static Authentication authenticated(UserDetails user, Authentication request) {
    UsernamePasswordAuthenticationToken result =
        UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
    result.setDetails(request.getDetails());
    return result;
  }

  private void failed(String user, String source) {
    LoginAttempts.Outcome outcome = attempts.failed(user, source);
    if (!outcome.counted()) {
      // The database went away during the check: no cached password from here until it is back.
      refusedWhileAway.add(user + "|" + source);
      database.recheck();
    }
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
