package dk.sektorbro.gateway.security;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Failed-login counts in {@code login_failure} (V25): one atomic upsert per failure. */
public class JdbcLoginFailureStore implements LoginFailureStore {

  private final JdbcClient jdbc;

  public JdbcLoginFailureStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Failures get(String key) {
    return jdbc.sql(
            "SELECT failures, last_failure, locked_until FROM login_failure WHERE failure_key = :k")
        .param("k", key)
        .query(
            (rs, n) ->
                new Failures(
                    rs.getInt(1),
                    instant(rs.getObject(2, OffsetDateTime.class)),
                    instant(rs.getObject(3, OffsetDateTime.class))))
        .optional()
        .orElse(null);
  }

  @Override
  public Failures increment(String key, Instant now, Instant windowStart) {
    // Atomic on the row, so two nodes counting the same key at once both count.
    return jdbc.sql(
            """
            INSERT INTO login_failure (failure_key, failures, last_failure) VALUES (:k, 1, :now)
            ON CONFLICT (failure_key) DO UPDATE SET
              failures = CASE WHEN login_failure.last_failure < :windowStart THEN 1 ELSE login_failure.failures + 1 END,
              locked_until = CASE WHEN login_failure.last_failure < :windowStart THEN NULL ELSE login_failure.locked_until END,
              last_failure = :now
            RETURNING failures, last_failure, locked_until""")
        .param("k", key)
        .param("now", at(now))
        .param("windowStart", at(windowStart))
        .query(
            (rs, n) ->
                new Failures(
                    rs.getInt(1),
                    instant(rs.getObject(2, OffsetDateTime.class)),
                    instant(rs.getObject(3, OffsetDateTime.class))))
        .single();
  }

  @Override
  public void lock(String key, Instant until) {
    jdbc.sql("UPDATE login_failure SET locked_until = :until WHERE failure_key = :k")
        .param("until", at(until))
        .param("k", key)
        .update();
  }

  @Override
  public void remove(String key) {
    jdbc.sql("DELETE FROM login_failure WHERE failure_key = :k").param("k", key).update();
  }

  @Override
  public void prune(Instant before, Instant now) {
    jdbc.sql(
            "DELETE FROM login_failure WHERE last_failure < :before AND (locked_until IS NULL OR locked_until < :now)")
        .param("before", at(before))
        .param("now", at(now))
        .update();
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
