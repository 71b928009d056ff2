package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.security.LoginAttemptsTest.MutableClock;
import dk.sektorbro.gateway.support.MigratedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The login counts in PostgreSQL (V25): two gateway nodes on one database count the same failures,
 * and a restarted node still knows a lock.
 */
class LoginFailuresInDatabaseTest {

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;
  private final MutableClock clock = new MutableClock();

  @BeforeAll
  static void start() throws Exception {
    postgres = MigratedPostgres.start();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
  }

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM login_failure").update();
  }

  private LoginAttempts node() {
    return new LoginAttempts(clock, new JdbcLoginFailureStore(jdbc));
  }

  @Test
  void failuresOnTwoNodesAddUp_andARestartedNodeKeepsTheLock() {
    LoginAttempts a = node();
    LoginAttempts b = node();
    for (int i = 1; i < LoginAttempts.USER_LIMIT; i++) {
      assertThat((i % 2 == 0 ? a : b).failed("operator", "10.0.0.1").lockedNow()).isFalse();
    }
    LoginAttempts.Outcome fifth = a.failed("operator", "10.0.0.1");
    assertThat(fifth.failures()).isEqualTo(5);
    assertThat(fifth.lockedNow()).isTrue();
    assertThat(b.lockedUntil("operator", "10.0.0.1"))
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(node().lockedUntil("operator", "10.0.0.1")).as("after a restart").isNotNull();
    assertThat(b.lockedUntil("operator", "10.0.0.2")).isNull();
    assertThat(b.lockedUntil("admin", "10.0.0.1")).isNull();

    clock.advance(Duration.ofSeconds(61));
    assertThat(a.lockedUntil("operator", "10.0.0.1")).isNull();
    b.failed("operator", "10.0.0.1");
    assertThat(a.lockedUntil("operator", "10.0.0.1"))
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
  }

  @Test
  void concurrentFailuresAreAllCounted() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      LoginAttempts node = node();
      all.add(pool.submit(() -> node.failed("intake", "10.0.0.5")));
    }
    for (Future<?> f : all) {
      f.get();
    }
    pool.shutdown();
    assertThat(
            jdbc.sql("SELECT failures FROM login_failure WHERE failure_key = 'u|intake|10.0.0.5'")
                .query(Integer.class)
                .single())
        .isEqualTo(12);
  }

  @Test
  void aSuccessResets_oldFailuresAreForgotten_andPruned() {
    LoginAttempts a = node();
    a.failed("operator", "10.0.0.1");
    a.failed("operator", "10.0.0.1");
    a.succeeded("operator", "10.0.0.1");
    assertThat(a.failed("operator", "10.0.0.1").failures()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(16));
    assertThat(a.failed("operator", "10.0.0.1").failures())
        .as("outside the 15-minute window")
        .isEqualTo(1);
    a.failed("admin", "10.0.0.3");
    clock.advance(Duration.ofMinutes(16));
    a.failed("intake", "10.0.0.4");
    assertThat(
            jdbc.sql("SELECT failure_key FROM login_failure ORDER BY 1").query(String.class).list())
        .containsExactly("s|10.0.0.4", "u|intake|10.0.0.4");
  }
}
