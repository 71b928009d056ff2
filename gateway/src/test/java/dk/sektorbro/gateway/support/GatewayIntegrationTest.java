package dk.sektorbro.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.journal.Lifecycle;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Base of end-to-end tests: the real application on a random port, with its own temporary data
 * folder (inbox, outbox), its own empty PostgreSQL database ({@link TestDatabase}), the project's
 * real mappings and known passwords. Each subclass gets a fresh data folder and so a fresh application.
 */
// The slow tier (failsafe, in verify); every subclass inherits the tag.
@Tag("integration")
// The application named, not searched for: a test's own nested @SpringBootConfiguration in the
// same package (LogRotationTest's) would otherwise be taken for it.
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@Import(CheapPasswords.class)
// Without this, Spring's test context cache hands the next subclass the previous application, whose
// data folder @AfterAll has just deleted.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class GatewayIntegrationTest {

  public static final String ADMIN_PASSWORD = "admin-test-pw";
  public static final String INTAKE_PASSWORD = "intake-test-pw";
  public static final String OPERATOR_PASSWORD = "operator-test-pw";
  public static final String AUDITOR_PASSWORD = "auditor-test-pw";

  /** Repository root, the Maven module's parent (tests run in gateway/). */
  public static final Path REPO = Path.of("").toAbsolutePath().getParent();
  public static final Path TEST_MESSAGES = REPO.resolve("test-messages");
  public static final Path MEDCOM_PACKAGES = REPO.getParent().resolve("shared/medcom/packages");

  /** States an entry stays in until a person acts: waiting for another state is pointless then. */
  private static final Set<String> STOPPED = Arrays.stream(MessageState.values())
      .filter(s -> Lifecycle.isTerminal(s) || s == MessageState.FAILED || s == MessageState.QUARANTINED
          || s == MessageState.REJECTED)
      .map(Enum::name)
      .collect(Collectors.toSet());

  private static Path dataDir;

  @LocalServerPort protected int port;

  @Autowired protected GatewayProperties properties;

  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    dataDir = newDataDir();
    registry.add("gateway.data-dir", dataDir::toString);
    String databaseUrl = TestDatabase.newDatabaseUrl();
    registry.add("spring.datasource.url", () -> databaseUrl);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("gateway.mappings-dir", () -> REPO.resolve("mappings").toString());
    registry.add("gateway.intake.file-poll-delay", () -> "100ms");
    registry.add("gateway.intake.file-stable-after", () -> "1s");
    registry.add("gateway.addressing.bootstrap-file", () -> REPO.resolve("registry/synthetic-sor.xml").toString());
    registry.add("GATEWAY_ADMIN_PASSWORD", () -> ADMIN_PASSWORD);
    registry.add("GATEWAY_INTAKE_PASSWORD", () -> INTAKE_PASSWORD);
    registry.add("GATEWAY_OPERATOR_PASSWORD", () -> OPERATOR_PASSWORD);
    registry.add("GATEWAY_AUDITOR_PASSWORD", () -> AUDITOR_PASSWORD);
  }

  @AfterAll
  static void removeDataDir() {
    if (dataDir != null) {
      FileSystemUtils.deleteRecursively(dataDir.toFile());
    }
  }

  protected Path dataDir() {
    return properties.dataDir();
  }

  protected Path inbox(String source) {
    return properties.inboxDir().resolve(source);
  }

  protected Path outbox(String gln) {
    return properties.outboxDir().resolve(gln);
  }

  protected GatewayClient client(String user, String password) {
    return new GatewayClient("http://localhost:" + port, user, password);
  }

  protected GatewayClient intakeClient() {
    return client("intake", INTAKE_PASSWORD);
  }

  protected GatewayClient operatorClient() {
    return client("operator", OPERATOR_PASSWORD);
  }

  /** Posts a JSON record through REST as the intake user; it must be accepted (202). Returns its journal id. */
  protected String submitJson(String source, byte[] record) {
    GatewayClient.Response response = intakeClient().post("/api/v1/records/" + source, "application/json", record);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json().get("id").asText();
  }

  /** The journal entry as operators see it through the API: state, reason, history, payloads. */
  protected JsonNode journalEntry(String id) {
    return operatorClient().get("/api/v1/messages/" + id).json();
  }

  /**
   * Waits (up to two minutes) until the entry is in {@code state} and returns it as the API shows it.
   * Gives up at once when the entry stops in another state nothing moves it out of by itself (FAILED,
   * QUARANTINED, REJECTED or a final state), and says which, with its reason.
   */
  protected JsonNode awaitState(String id, String state) {
    return awaitState(id, state, Duration.ofSeconds(120));
  }

  protected JsonNode awaitState(String id, String state, Duration atMost) {
    JsonNode entry = await().atMost(atMost).pollInterval(Duration.ofMillis(100))
        .until(() -> journalEntry(id), e -> state.equals(e.path("state").asText()) || stopsIn(e.path("state").asText()));
    assertThat(entry.path("state").asText()).as("state of %s (reason: %s)", id, entry.path("reason").asText())
        .isEqualTo(state);
    return entry;
  }

  private static boolean stopsIn(String state) {
    return STOPPED.contains(state);
  }

  /** Drops a file the way writers must: written under a temporary name, then renamed. */
  protected Path drop(String source, String fileName, byte[] content) {
    try {
      Path folder = Files.createDirectories(inbox(source));
      Path temp = folder.resolve(fileName + ".part");
      Files.write(temp, content);
      return Files.move(temp, folder.resolve(fileName));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path newDataDir() {
    try {
      return Files.createTempDirectory("sektorbro-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
