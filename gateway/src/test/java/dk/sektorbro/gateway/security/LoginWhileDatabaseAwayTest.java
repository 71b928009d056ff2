package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dk.sektorbro.gateway.admin.AuditLog;
import dk.sektorbro.gateway.platform.DatabaseReachability;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The login guard while its database is away: a PostgreSQL server of the test's own, stopped and
 * started again, behind a connection pool with the gateway's 30-second connection timeout. The
 * guard must answer within seconds (it waited for the pool, twice, before the request went on), and
 * must not become a way to guess passwords uncounted.
 *
 * <p>Integration: a PostgreSQL server of its own (an initdb and a start, a stop and a start).
 */
@Tag("integration")
class LoginWhileDatabaseAwayTest {

  private static final Duration QUICK = Duration.ofSeconds(10);

  @TempDir Path dir;
  private EmbeddedPostgres postgres;
  private HikariDataSource pool;
  private DatabaseReachability reachability;

  @AfterEach
  void stop() throws IOException {
    if (reachability != null) {
      reachability.destroy();
    }
    if (pool != null) {
      pool.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void whileAway_aRememberedLoginIsAnsweredAtOnce_aGuessIsRefusedUnchecked_andCountedWhenBack()
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    postgres = start(port);
    pool = new HikariDataSource();
    pool.setJdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres");
    pool.setUsername("postgres");
    pool.setMaximumPoolSize(2);
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    JdbcClient jdbc = JdbcClient.create(pool);
    Clock clock = Clock.systemUTC();
    reachability = new DatabaseReachability(pool, clock);
    BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);
    DaoAuthenticationProvider passwords =
        new DaoAuthenticationProvider(
            new InMemoryUserDetailsManager(
                User.withUsername("operator")
                    .password(encoder.encode("right"))
                    .roles("OPERATOR")
                    .build(),
                User.withUsername("admin")
                    .password(encoder.encode("secret"))
                    .roles("ADMIN")
                    .build()));
    passwords.setPasswordEncoder(encoder);
    GuardedAuthenticationProvider guard =
        new GuardedAuthenticationProvider(
            passwords,
            new LoginAttempts(clock, new JdbcLoginFailureStore(jdbc)),
            new CredentialCache(clock),
            new AuditLog(jdbc, clock),
            Set.of("operator", "admin"),
            new SimpleMeterRegistry(),
            reachability);

    assertThat(guard.authenticate(login("right", "10.0.0.1")).isAuthenticated()).isTrue();

    postgres.close();
    postgres = null;
    // DatabaseReachability keeps its last verdict 2 s, and the login above made one ("it
    // answers"): a login within those 2 s asks the database and can wait for the pool (30 s; docs/
    // limits.md, "Left"). It answered at once only while the server's stop took under half a second
    // (a connection used that recently is not validated by the pool, and failed at once): with the
    // stop 1 s slower, the remembered login took 30.0 s. As in LoginDuringOutageEndToEndTest.
    Thread.sleep(2_500);

    // A password proven right a moment ago (the operator's monitor, a system client) goes on.
    long started = System.nanoTime();
    assertThat(guard.authenticate(login("right", "10.0.0.1")).isAuthenticated()).isTrue();
    assertThat(since(started))
        .as("a remembered login while the database is away")
        .isLessThan(QUICK);

    // A guess is not checked at all: nothing could count it.
    started = System.nanoTime();
    assertThatThrownBy(() -> guard.authenticate(login("guess", "10.0.0.2")))
        .isInstanceOf(LoginUnavailable.class);
    assertThat(since(started)).as("a guess while the database is away").isLessThan(QUICK);
    // ...and after an unchecked attempt from there, the right password is not taken from there
    // either: else the remembered passwords would answer guesses uncounted.
    assertThatThrownBy(() -> guard.authenticate(login("right", "10.0.0.2")))
        .isInstanceOf(LoginUnavailable.class);
    // A password not remembered (admin has not logged in) cannot be checked either.
    assertThatThrownBy(() -> guard.authenticate(login("admin", "secret", "10.0.0.3")))
        .isInstanceOf(LoginUnavailable.class);
    assertThat(since(started)).as("three refusals").isLessThan(QUICK);

    postgres = start(port);
    // Back: the guard counts again, and a wrong password is a counted failure.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (reachability.unreachable().isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThatThrownBy(() -> guard.authenticate(login("guess", "10.0.0.2")))
        .isInstanceOf(BadCredentialsException.class);
    assertThat(
            jdbc.sql("SELECT failures FROM login_failure WHERE failure_key = 'u|operator|10.0.0.2'")
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    assertThat(guard.authenticate(login("right", "10.0.0.2")).isAuthenticated()).isTrue();
  }

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("pg"))
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(120))
        .start();
  }

  private static Authentication login(String password, String address) {
    return login("operator", password, address);
  }

  private static Authentication login(String user, String password, String address) {
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setRemoteAddr(address);
    UsernamePasswordAuthenticationToken token =
        UsernamePasswordAuthenticationToken.unauthenticated(user, password);
    token.setDetails(new WebAuthenticationDetails(request));
    return token;
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
