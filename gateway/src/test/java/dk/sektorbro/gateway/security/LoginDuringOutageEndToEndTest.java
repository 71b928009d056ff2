package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.admin.ConsoleSession;
import dk.sektorbro.gateway.support.CheapPasswords;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.TestFiles;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole gateway, in this JVM, on a PostgreSQL server of the test's own that is stopped: an
 * authenticated request is answered within seconds (it waited up to a minute for the login
 * counters), a login that cannot be counted is refused with 503, Retry-After and an
 * OperationOutcome, and once the server is back a wrong password is a counted 401 again.
 */
@Tag("integration")
class LoginDuringOutageEndToEndTest {

  private static final Duration QUICK = Duration.ofSeconds(10);

  @TempDir Path dir;
  private EmbeddedPostgres postgres;
  private ConfigurableApplicationContext gateway;

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void whileTheDatabaseIsAway_loginsAreAnsweredAtOnce() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    postgres = start(port);
    gateway =
        new SpringApplicationBuilder(GatewayApplication.class, CheapPasswords.class)
            .run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:postgresql://localhost:" + port + "/postgres",
                "--spring.datasource.username=postgres",
                "--gateway.data-dir=" + dir.resolve("data"),
                "--gateway.mappings-dir=" + TestFiles.MAPPINGS,
                "--gateway.addressing.bootstrap-file="
                    + TestFiles.REPO.resolve("registry/synthetic-sor.xml"),
                "--camel.main.shutdown-timeout=1",
                "--GATEWAY_ADMIN_PASSWORD=admin-outage-pw",
                "--GATEWAY_INTAKE_PASSWORD=intake-outage-pw",
                "--GATEWAY_OPERATOR_PASSWORD=operator-outage-pw");
    String base =
        "http://localhost:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
    GatewayClient operator = new GatewayClient(base, "operator", "operator-outage-pw");
    assertThat(operator.get("/actuator/health").status()).isEqualTo(200);

    postgres.close();
    postgres = null;
    // A login in the first two seconds of an outage may still trust the last "it answers" of the
    // database check (DatabaseReachability keeps a verdict that long) and wait for the pool
    // (docs/limits.md); after that, every login is answered at once.
    Thread.sleep(2_500);

    // The operator's monitor, logged in a moment ago: health with its details, DOWN, at once.
    long started = System.nanoTime();
    GatewayClient.Response health = operator.get("/actuator/health");
    Duration healthTook = since(started);
    assertThat(health.status()).as(health.body()).isEqualTo(503);
    assertThat(health.body()).contains("\"db\"").contains("DOWN");
    assertThat(healthTook).as("an operator's health while the database is away").isLessThan(QUICK);

    // Its API request past the login: the API's own 503, not the connection pool's 30 s.
    started = System.nanoTime();
    HttpResponse<String> messages =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
                    .header("Authorization", basic("operator", "operator-outage-pw"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Duration messagesTook = since(started);
    assertThat(messages.statusCode()).as(messages.body()).isEqualTo(503);
    assertThat(messages.headers().firstValue("Retry-After")).contains("30");
    assertThat(messages.body()).contains("OperationOutcome", "transient");
    assertThat(messagesTook).as("an API request while the database is away").isLessThan(QUICK);

    // A login not seen before (the intake client's first record): 503, not a minute's wait.
    started = System.nanoTime();
    HttpResponse<String> intake =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/records/nordby-socialpsykiatri"))
                    .header("Authorization", basic("intake", "intake-outage-pw"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Duration intakeTook = since(started);
    assertThat(intake.statusCode()).as(intake.body()).isEqualTo(503);
    assertThat(intake.headers().firstValue("Retry-After")).contains("30");
    assertThat(intake.body()).contains("OperationOutcome", "transient", "could not be checked");
    assertThat(intakeTook).as("a new login while the database is away").isLessThan(QUICK);

    // A guess: refused unchecked, the same answer as for the right password.
    GatewayClient.Response guess =
        new GatewayClient(base, "admin", "guess").get("/api/v1/dashboard");
    assertThat(guess.status()).as(guess.body()).isEqualTo(503);
    // The console: the login page says why, instead of "wrong user name or password".
    ConsoleSession console = ConsoleSession.login(base, null, null);
    Map<String, String> form = new LinkedHashMap<>();
    form.put("username", "admin");
    form.put("password", "admin-outage-pw");
    form.put("_csrf", console.csrf("/login"));
    HttpResponse<String> login = console.post("/login", form);
    assertThat(login.statusCode()).isEqualTo(302);
    assertThat(login.headers().firstValue("Location").orElse("")).endsWith("/login?unavailable");
    assertThat(console.get("/login?unavailable").body())
        .contains("The database of the gateway is not available");
    System.out.printf(
        "while away: operator health %d ms, operator's API request %d ms, intake login %d ms%n",
        healthTook.toMillis(), messagesTook.toMillis(), intakeTook.toMillis());

    postgres = start(port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    GatewayClient.Response wrong;
    do {
      Thread.sleep(500);
      wrong = new GatewayClient(base, "admin", "guess").get("/api/v1/dashboard");
    } while (wrong.status() == 503 && System.nanoTime() < deadline);
    assertThat(wrong.status()).as("a wrong password once the database is back").isEqualTo(401);
    assertThat(
            new GatewayClient(base, "admin", "admin-outage-pw").get("/api/v1/dashboard").status())
        .isEqualTo(200);
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

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
