package dk.sektorbro.gateway.security;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link LoginAttempts} keeps its counts: the database in the gateway (shared by nodes,
 * survives restarts), a map in unit tests.
 */
public interface LoginFailureStore {

  /** The failures under this key, or null. */
  Failures get(String key);

  /**
   * Counts one failure at {@code now}; a count whose last failure is before {@code windowStart}
   * starts again at 1.
   */
  Failures increment(String key, Instant now, Instant windowStart);

  void lock(String key, Instant until);

  void remove(String key);

  /** Forgets counts last failed before {@code before} that are not locked at {@code now}. */
  void prune(Instant before, Instant now);

  /** How many failures in a row, the last one, and until when locked (or null). */
  record Failures(int count, Instant last, Instant lockedUntil) {}

  /** In memory, for unit tests of the counting rules. */
  final class InMemory implements LoginFailureStore {

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    @Override
    public Failures get(String key) {
      return failures.get(key);
    }

    @Override
    public Failures increment(String key, Instant now, Instant windowStart) {
      return failures.compute(
          key,
          (k, old) ->
              old == null || old.last().isBefore(windowStart)
                  ? new Failures(1, now, null)
                  : new Failures(old.count() + 1, now, old.lockedUntil()));
    }

    @Override
    public void lock(String key, Instant until) {
      failures.computeIfPresent(key, (k, old) -> new Failures(old.count(), old.last(), until));
    }

    @Override
    public void remove(String key) {
      failures.remove(key);
    }

    @Override
    public void prune(Instant before, Instant now) {
      failures
          .entrySet()
          .removeIf(
              e ->
                  e.getValue().last().isBefore(before)
                      && (e.getValue().lockedUntil() == null
                          || e.getValue().lockedUntil().isBefore(now)));
    }
  }
}
