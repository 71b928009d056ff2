package dk.sektorbro.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per user and source address, and per source address alone (one address trying many
 * users). After {@value #USER_LIMIT} failures in a row for a user from an address, or
 * {@value #SOURCE_LIMIT} from an address, further logins from there are refused for a lock time that
 * starts at one minute and doubles with each further failure, up to 15 minutes. A success resets
 * the user's count. Plain Java; kept in memory (a restart forgets, which only shortens a lock).
 */
public class LoginAttempts {

  static final int USER_LIMIT = 5;
  static final int SOURCE_LIMIT = 20;
  private static final Duration FIRST_LOCK = Duration.ofMinutes(1);
  private static final Duration LONGEST_LOCK = Duration.ofMinutes(15);
  /** Failures older than this are forgotten. */
  private static final Duration WINDOW = Duration.ofMinutes(15);
  /** Bounds memory under a flood of made-up user names and addresses. */
  private static final int MAX_TRACKED = 100_000;

  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final Clock clock;

  public LoginAttempts(Clock clock) {
    this.clock = clock;
  }

  /** When the user may try again from this source, or null when not locked. */
  public Instant lockedUntil(String user, String source) {
    Instant now = clock.instant();
    Instant until = null;
    for (String key : new String[] {userKey(user, source), sourceKey(source)}) {
      Failures f = failures.get(key);
      if (f != null && f.lockedUntil() != null && f.lockedUntil().isAfter(now)) {
        until = until == null || f.lockedUntil().isAfter(until) ? f.lockedUntil() : until;
      }
    }
    return until;
  }

  /** Counts a failure; returns the failure count of the user from this source and whether it is now locked. */
  public Outcome failed(String user, String source) {
    if (failures.size() > MAX_TRACKED) {
      prune();
    }
    Failures byUser = count(userKey(user, source), USER_LIMIT);
    Failures bySource = count(sourceKey(source), SOURCE_LIMIT);
    return new Outcome(byUser.count(), lockedUntil(user, source), byUser.count() == USER_LIMIT
        || bySource.count() == SOURCE_LIMIT);
  }

  public void succeeded(String user, String source) {
    failures.remove(userKey(user, source));
  }

  private Failures count(String key, int limit) {
    Instant now = clock.instant();
    return failures.compute(key, (k, old) -> {
      int count = old == null || old.last().isBefore(now.minus(WINDOW)) ? 1 : old.count() + 1;
      Instant lockedUntil = null;
      if (count >= limit) {
        Duration lock = FIRST_LOCK.multipliedBy(1L << Math.min(count - limit, 10));
        lockedUntil = now.plus(lock.compareTo(LONGEST_LOCK) > 0 ? LONGEST_LOCK : lock);
      }
      return new Failures(count, now, lockedUntil);
    });
  }

  private void prune() {
    Instant old = clock.instant().minus(WINDOW);
    failures.entrySet().removeIf(e -> e.getValue().last().isBefore(old)
        && (e.getValue().lockedUntil() == null || e.getValue().lockedUntil().isBefore(clock.instant())));
  }

  private static String userKey(String user, String source) {
    return "u|" + user + "|" + source;
  }

  private static String sourceKey(String source) {
    return "s|" + source;
  }

  private record Failures(int count, Instant last, Instant lockedUntil) {}

  /** After a failure: how many in a row, until when it is locked (or null), and whether this one locked it. */
  public record Outcome(int failures, Instant lockedUntil, boolean lockedNow) {}
}
