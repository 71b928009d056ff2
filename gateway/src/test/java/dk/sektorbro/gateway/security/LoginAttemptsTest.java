package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

class LoginAttemptsTest {

  private final MutableClock clock = new MutableClock();
  private final LoginAttempts attempts = new LoginAttempts(clock, new LoginFailureStore.InMemory());

  @Test
  void fiveFailuresInARow_lockTheUserFromThatAddressOnly_forAMinute_thenLonger() {
    for (int i = 1; i < LoginAttempts.USER_LIMIT; i++) {
      assertThat(attempts.failed("operator", "10.0.0.1").lockedNow()).isFalse();
    }
    LoginAttempts.Outcome fifth = attempts.failed("operator", "10.0.0.1");
    assertThat(fifth.lockedNow()).isTrue();
    assertThat(attempts.lockedUntil("operator", "10.0.0.1"))
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(attempts.lockedUntil("operator", "10.0.0.2")).isNull();
    assertThat(attempts.lockedUntil("admin", "10.0.0.1")).isNull();

    clock.advance(Duration.ofSeconds(61));
    assertThat(attempts.lockedUntil("operator", "10.0.0.1")).isNull();
    attempts.failed("operator", "10.0.0.1");
    assertThat(attempts.lockedUntil("operator", "10.0.0.1"))
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
  }

  @Test
  void aSuccess_resetsTheCount() {
    for (int i = 1; i < LoginAttempts.USER_LIMIT; i++) {
      attempts.failed("operator", "10.0.0.1");
    }
    attempts.succeeded("operator", "10.0.0.1");
    assertThat(attempts.failed("operator", "10.0.0.1").failures()).isEqualTo(1);
  }

  @Test
  void oneAddressTryingManyUsers_isLockedAsAWhole() {
    for (int i = 0; i < LoginAttempts.SOURCE_LIMIT; i++) {
      attempts.failed("user" + i, "10.0.0.9");
    }
    assertThat(attempts.lockedUntil("anyone", "10.0.0.9")).isNotNull();
    assertThat(attempts.lockedUntil("anyone", "10.0.0.8")).isNull();
  }

  @Test
  void lockGrowsToFifteenMinutesAtMost() {
    for (int i = 0; i < 40; i++) {
      attempts.failed("operator", "10.0.0.1");
    }
    assertThat(attempts.lockedUntil("operator", "10.0.0.1"))
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
  }

  @Test
  void credentialCache_acceptsOnlyTheSamePassword_andForgetsAfterFiveMinutes() {
    CredentialCache cache = new CredentialCache(clock);
    UserDetails user = User.withUsername("intake").password("{noop}x").roles("INTAKE").build();
    cache.remember(user, "right");
    assertThat(cache.find("intake", "right")).isSameAs(user);
    assertThat(cache.find("intake", "wrong")).isNull();
    assertThat(cache.find("other", "right")).isNull();
    clock.advance(CredentialCache.TTL.plusSeconds(1));
    assertThat(cache.find("intake", "right")).isNull();
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-12-06T03:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
