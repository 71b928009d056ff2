package dk.sektorbro.gateway.security;

import dk.sektorbro.gateway.security.LoginFailureStore.Failures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Failed logins per user and source address, and per source address alone (one address trying many
 * users). After {@value #USER_LIMIT} failures in a row for a user from an address, or {@value
 * #SOURCE_LIMIT} from an address, further logins from there are refused for a lock time that starts
 * at one minute and doubles with each further failure, up to 15 minutes. A success resets the
 * user's count. The counts are kept in a {@link LoginFailureStore}: the database in the gateway, so
 * a restart does not end a lock and all nodes count the same failures.
 */
public class LoginAttempts {

  private static final Logger log = LoggerFactory.getLogger(LoginAttempts.class);
  static final int USER_LIMIT = 5;
  static final int SOURCE_LIMIT = 20;
  private static final Duration FIRST_LOCK = Duration.ofMinutes(1);
  private static final Duration LONGEST_LOCK = Duration.ofMinutes(15);

  /** Failures older than this are forgotten. */
  private static final Duration WINDOW = Duration.ofMinutes(15);

  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  private final LoginFailureStore store;
  private final Clock clock;
  private volatile Instant lastPrune = Instant.MIN;

  public LoginAttempts(Clock clock, LoginFailureStore store) {
    this.clock = clock;
    this.store = store;
  }

  /**
   * When the user may try again from this source, or null when not locked.
   *
   * @throws DataAccessException when the store cannot be read (the database is away): the caller
   *     must not check a password it could not count ({@link GuardedAuthenticationProvider})
   */
  public Instant lockedUntil(String user, String source) {
    Instant now = clock.instant();
    Instant until = null;
    for (String key : new String[] {userKey(user, source), sourceKey(source)}) {
      Failures f = store.get(key);
      if (f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(now)) {
        until = until == null || f.lockedUntil().isAfter(until) ? f.lockedUntil() : until;
      }
    }
    return until;
  }

  /**
   * Counts a failure; returns the failure count of the user from this source and whether it is now
   * locked.
   */
  public Outcome failed(String user, String source) {
    try {
      pruneNowAndThen();
      Failures byUser = count(userKey(user, source), USER_LIMIT);
      Failures bySource = count(sourceKey(source), SOURCE_LIMIT);
      return new Outcome(
          byUser.count(),
          lockedUntil(user, source),
          byUser.count() == USER_LIMIT || bySource.count() == SOURCE_LIMIT,
          true);
    } catch (DataAccessException e) {
      log.warn("login failure not counted cause={}", e.getClass().getSimpleName());
      return new Outcome(0, null, false, false);
    }
  }

  public void succeeded(String user, String source) {
    try {
      store.remove(userKey(user, source));
    } catch (DataAccessException e) {
      log.warn("login count not reset cause={}", e.getClass().getSimpleName());
    }
  }

  private Failures count(String key, int limit) {
    Instant now = clock.instant();
    Failures counted = store.increment(key, now, now.minus(WINDOW));
    if (counted.count() < limit) {
      return counted;
    }
    Duration lock = FIRST_LOCK.multipliedBy(1L << Math.min(counted.count() - limit, 10));
    Instant lockedUntil = now.plus(lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock);
    store.lock(key, lockedUntil);
    return new Failures(counted.count(), now, lockedUntil);
  }

  // Old counts go at most once a minute per node, on a failure (no timer needed).
  private void pruneNowAndThen() {
    Instant now = clock.instant();
    if (lastPrune.plus(PRUNE_EVERY).isBefore(now)) {
      lastPrune = now;
      store.prune(now.minus(WINDOW), now);
    }
  }

  private static String userKey(String user, String source) {
    return "u|" + user + "|" + source;
  }

  private static String sourceKey(String source) {
    return "s|" + source;
  }

  /**
   * After a failure: how many in a row, until when it is locked (or null), whether this one locked
   * it, and whether it was counted at all (not when the database went away meanwhile).
   */
  public record Outcome(int failures, Instant lockedUntil, boolean lockedNow, boolean counted) {}
}
