package dk.sektorbro.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.journal.Lifecycle;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Base of end-to-end tests: the real application on a random port, with its own temporary data
 * folder (inbox, outbox), its own empty PostgreSQL database ({@link TestDatabase}), the project's
 * real mappings and known passwords.
 *
 * <p>Subclasses without configuration of their own share one application (Spring's test context
 * cache): a start-up, a migration and a registry import once for all of them instead of once per
 * class. They must therefore not depend on what other classes did or did not do before them: each
 * test uses records, citizens and files of its own ({@link #freshRecordId}, {@link #freshCpr},
 * {@link #withFreshId}) and counts before and after instead of from zero, and puts back what it
 * breaks on purpose (a blocked postbox). Classes that need the same other properties share a base
 * class that sets them, and so one application per such group ({@link MedComIntegrationTest};
 * ContextGroupOrder runs each group together). A class with properties of its own gets its own
 * application; it marks itself {@code @DirtiesContext} so that application is closed when the class
 * ends.
 */
// The slow tier (failsafe, in verify); every subclass inherits the tag.
@Tag("integration")
// The application named, not searched for: a test's own nested @SpringBootConfiguration in the
// same package (LogRotationTest's) would otherwise be taken for it.
@SpringBootTest(
    classes = GatewayApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@Import(CheapPasswords.class)
public abstract class GatewayIntegrationTest {

  public static final String ADMIN_PASSWORD = "admin-test-pw";
  public static final String INTAKE_PASSWORD = "intake-test-pw";
  public static final String OPERATOR_PASSWORD = "operator-test-pw";
  public static final String AUDITOR_PASSWORD = "auditor-test-pw";

  /**
   * The hospital sources' own intake users' password: the shared intake user may not submit to a
   * hospital source by default (gateway.security.intake.shared-user-sources).
   */
  public static final String HOSPITAL_INTAKE_PASSWORD = "hospital-intake-test-pw";

  protected static final List<String> HOSPITAL_SOURCES =
      List.of("region-nord-psykiatri", "region-nord-psykiatri-planer");

  /** Repository root, the Maven module's parent (tests run in gateway/). */
  public static final Path REPO = Path.of("").toAbsolutePath().getParent();

  public static final Path TEST_MESSAGES = REPO.resolve("test-messages");
  public static final Path MEDCOM_PACKAGES = REPO.getParent().resolve("shared/medcom/packages");

  /**
   * How the waits below look at an entry: first after 20 ms, then every 50 ms. A message takes a
   * few hundred milliseconds through the pipeline; Awaitility's default (first look after 100 ms,
   * then every 100 ms) left each wait up to 100 ms behind the entry, over hundreds of waits per
   * run. A look is one API request.
   */
  private static final Duration FIRST_LOOK = Duration.ofMillis(20);

  private static final Duration LOOK_AGAIN = Duration.ofMillis(50);

  /** States an entry stays in until a person acts: waiting for another state is pointless then. */
  private static final Set<String> STOPPED =
      Arrays.stream(MessageState.values())
          .filter(
              s ->
                  Lifecycle.isTerminal(s)
                      || s == MessageState.FAILED
                      || s == MessageState.QUARANTINED
                      || s == MessageState.REJECTED)
          .map(Enum::name)
          .collect(Collectors.toSet());

  /** States the pipeline moves an entry out of by itself. */
  private static final List<String> IN_PIPELINE = List.of("RECEIVED", "TRANSLATED", "VALIDATED");

  private static final AtomicInteger FRESH = new AtomicInteger();

  /** The test classes that recorded the sample consents already ({@link #sampleConsentsOnce}). */
  private static final Set<Class<?>> WITH_SAMPLE_CONSENTS = ConcurrentHashMap.newKeySet();

  private static final Pattern JSON_RECORD_ID =
      Pattern.compile("(\"journalpostId\"\\s*:\\s*\")([^\"]*)\"");
  private static final Pattern XML_RECORD_ID = Pattern.compile("(<besked id=\")([^\"]*)\"");

  @LocalServerPort protected int port;

  @Autowired protected GatewayProperties properties;

  // Called once per application started (not per class): the folder lives as long as the test JVM,
  // since a later class may be handed the same cached application.
  @DynamicPropertySource
  static void gatewayProperties(DynamicPropertyRegistry registry) {
    Path dataDir = newDataDir();
    registry.add("gateway.data-dir", dataDir::toString);
    String databaseUrl = TestDatabase.newDatabaseUrl();
    registry.add("spring.datasource.url", () -> databaseUrl);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("gateway.mappings-dir", () -> REPO.resolve("mappings").toString());
    registry.add("gateway.intake.file-poll-delay", () -> "100ms");
    registry.add("gateway.intake.file-stable-after", () -> "1s");
    registry.add(
        "gateway.addressing.bootstrap-file",
        () -> REPO.resolve("registry/synthetic-sor.xml").toString());
    registry.add("GATEWAY_ADMIN_PASSWORD", () -> ADMIN_PASSWORD);
    registry.add("GATEWAY_INTAKE_PASSWORD", () -> INTAKE_PASSWORD);
    registry.add("GATEWAY_OPERATOR_PASSWORD", () -> OPERATOR_PASSWORD);
    registry.add("GATEWAY_AUDITOR_PASSWORD", () -> AUDITOR_PASSWORD);
    for (String source : HOSPITAL_SOURCES) {
      registry.add(
          "GATEWAY_INTAKE_" + source.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD",
          () -> HOSPITAL_INTAKE_PASSWORD);
    }
    // Quick clocks, harmless to the others and one application fewer than a group of their own:
    // a route setting made on another node is taken up within a second (ClusterViewEndToEndTest),
    // and held messages past their expiry expire within a second (ConsentEndToEndTest).
    registry.add("gateway.node.heartbeat-interval", () -> "1s");
    registry.add("gateway.consent.expiry-sweep-interval", () -> "1s");
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

  /**
   * The head of a record's POST to intake as the intake user, for tests that write it and its body
   * over a plain socket (what an HTTP client library would not do: declare a length it never sends,
   * write a whole body before reading).
   */
  protected static byte[] intakePostHead(String source, long contentLength) {
    String credentials =
        Base64.getEncoder()
            .encodeToString(("intake:" + INTAKE_PASSWORD).getBytes(StandardCharsets.UTF_8));
    return ("POST /api/v1/records/"
            + source
            + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic "
            + credentials
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + contentLength
            + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  protected GatewayClient adminClient() {
    return client("admin", ADMIN_PASSWORD);
  }

  protected GatewayClient intakeClient() {
    return client("intake", INTAKE_PASSWORD);
  }

  /**
   * The client that submits to {@code source}: a hospital source's own user, else the shared one.
   */
  protected GatewayClient intakeClient(String source) {
    return HOSPITAL_SOURCES.contains(source)
        ? client("intake-" + source, HOSPITAL_INTAKE_PASSWORD)
        : intakeClient();
  }

  protected GatewayClient operatorClient() {
    return client("operator", OPERATOR_PASSWORD);
  }

  /**
   * Records {@link SampleConsents} as admin the first time a test of this class calls it, for
   * classes whose tests all send samples: recorded again by every test, they would only pile up.
   */
  protected void sampleConsentsOnce() {
    if (WITH_SAMPLE_CONSENTS.add(getClass())) {
      SampleConsents.recordAll(adminClient());
    }
  }

  /**
   * Posts a JSON record through REST as the intake user; it must be accepted (202). Returns its
   * journal id.
   */
  protected String submitJson(String source, byte[] record) {
    GatewayClient.Response response =
        intakeClient(source).post("/api/v1/records/" + source, "application/json", record);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    String id = response.json().get("id").asText();
    assertThat(response.location()).isEqualTo("/api/v1/messages/" + id);
    return id;
  }

  /**
   * The admin API's retry of message {@code id} ({@code POST /api/v1/messages/{id}/retry}) by
   * {@code client} with {@code comment}; the answer as it came, for the test to check.
   */
  protected static GatewayClient.Response retry(GatewayClient client, String id, String comment) {
    ObjectNode body = JSON.createObjectNode().put("comment", comment);
    return client.post("/api/v1/messages/" + id + "/retry", "application/json", json(body));
  }

  /** The journal entry as operators see it through the API: state, reason, history, payloads. */
  protected JsonNode journalEntry(String id) {
    return operatorClient().get("/api/v1/messages/" + id).json();
  }

  /**
   * The entry's last history event of {@code stage} that reached {@code state}; there must be one.
   */
  protected static JsonNode event(JsonNode entry, String stage, String state) {
    JsonNode found = null;
    for (JsonNode h : entry.get("history")) {
      if (h.get("stage").asText().equals(stage) && h.get("state").asText().equals(state)) {
        found = h;
      }
    }
    assertThat(found)
        .as(
            "event %s/%s of %s in %s",
            stage, state, entry.path("id").asText(), entry.get("history"))
        .isNotNull();
    return found;
  }

  /** The entry's state as operators see it through the API. */
  protected String state(String id) {
    return journalEntry(id).get("state").asText();
  }

  /**
   * Waits (up to two minutes) until the pipeline is done with the entry, whatever state it ends in
   * (neither RECEIVED, TRANSLATED nor VALIDATED any more), and returns it as the API shows it.
   */
  protected JsonNode awaitFinal(String id) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollDelay(FIRST_LOOK)
        .pollInterval(LOOK_AGAIN)
        .until(() -> !IN_PIPELINE.contains(state(id)));
    return journalEntry(id);
  }

  /**
   * Waits (up to two minutes) until the entry is in {@code state} and returns it as the API shows
   * it. Gives up at once when the entry stops in another state nothing moves it out of by itself
   * (FAILED, QUARANTINED, REJECTED or a final state), and says which, with its reason.
   */
  protected JsonNode awaitState(String id, String state) {
    return awaitState(id, state, Duration.ofSeconds(120));
  }

  protected JsonNode awaitState(String id, String state, Duration atMost) {
    JsonNode entry =
        await()
            .atMost(atMost)
            .pollDelay(FIRST_LOOK)
            .pollInterval(LOOK_AGAIN)
            .until(
                () -> journalEntry(id),
                e -> state.equals(e.path("state").asText()) || stopsIn(e.path("state").asText()));
    assertThat(entry.path("state").asText())
        .as("state of %s (reason: %s)", id, entry.path("reason").asText())
        .isEqualTo(state);
    return entry;
  }

  private static boolean stopsIn(String state) {
    return STOPPED.contains(state);
  }

  /**
   * A postbox taken by a plain file until {@link #close}; what other tests delivered there is put
   * back then.
   */
  protected final class BlockedPostbox implements AutoCloseable {

    private final Path postbox;
    private final Path aside;

    private BlockedPostbox(String gln) throws IOException {
      postbox = outbox(gln);
      aside = postbox.resolveSibling(gln + ".aside-" + FRESH.incrementAndGet());
      Files.createDirectories(postbox.getParent());
      if (Files.exists(postbox)) {
        Files.move(postbox, aside);
      }
      Files.writeString(postbox, "not a folder");
    }

    @Override
    public void close() throws IOException {
      Files.deleteIfExists(postbox);
      if (Files.exists(aside)) {
        Files.move(aside, postbox);
      }
    }
  }

  /**
   * Takes the postbox path of {@code gln} by a plain file, so the folder cannot be created and
   * delivery there fails (a transport failure); close it to free the postbox again. In a shared
   * application the folder may exist already: it is moved aside meanwhile.
   */
  protected BlockedPostbox blockPostbox(String gln) throws IOException {
    return new BlockedPostbox(gln);
  }

  /**
   * Submits a JSON record while the postbox of {@code gln} is blocked ({@link #blockPostbox}):
   * waits until its first delivery attempt failed there and the entry is RETRYING, hands its id to
   * {@code whileBlocked}, then frees the postbox for the retry. Returns the entry's id.
   */
  protected String submitWhileBlocked(
      String gln, String source, byte[] record, Consumer<String> whileBlocked) throws IOException {
    try (BlockedPostbox blocked = blockPostbox(gln)) {
      String id = submitJson(source, record);
      await().atMost(Duration.ofSeconds(60)).until(() -> "RETRYING".equals(state(id)));
      assertThat(journalEntry(id).get("history").toString())
          .as("the first attempt failed on the blocked postbox")
          .contains("transport failed (attempt 1: ");
      whileBlocked.accept(id);
      return id;
    }
  }

  // ---- staging for the consent end-to-end tests: a citizen's note, a consent, the postbox ----

  /** The social psychiatry, the source of the note the consent tests send ({@link #socialNote}). */
  protected static final String SOCIAL_PSYCHIATRY = "nordby-socialpsykiatri";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The social psychiatry's sample note (status after discharge, to ward P3 under a consent for
   * social conditions and current treatment) about {@code cpr} under record id {@code recordId}, to
   * change before it is sent ({@link #json}).
   */
  protected static ObjectNode socialNote(String cpr, String recordId) {
    try {
      ObjectNode note =
          (ObjectNode)
              JSON.readTree(
                  TEST_MESSAGES
                      .resolve(SOCIAL_PSYCHIATRY)
                      .resolve("status-efter-udskrivelse.json")
                      .toFile());
      note.put("journalpostId", recordId);
      ((ObjectNode) note.get("borger")).put("cpr", cpr);
      return note;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record as the bytes intake is sent. */
  protected static byte[] json(JsonNode record) {
    try {
      return JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Records, as the admin, the citizen's consent to care coordination with {@code sor} for {@code
   * categories}; returns its id.
   */
  protected String consentTo(String cpr, String sor, List<String> categories) {
    return SampleConsents.record(adminClient(), cpr, sor, "care-coordination", categories);
  }

  /** The citizen revokes the consent (recorded by the admin); it must succeed. */
  protected void revokeConsent(String consentId) {
    GatewayClient.Response revoked =
        adminClient()
            .post(
                "/api/v1/consents/" + consentId + "/revoke",
                "application/json",
                "{\"revokedBy\": \"Karen Holm\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
  }

  /**
   * The files in the postbox of {@code gln} (in every postbox when null) that contain {@code text}
   * (a citizen's CPR number, a marker sentence): what reached a recipient, whatever other tests
   * delivered there.
   */
  protected List<Path> postboxFilesContaining(String gln, String text) {
    Path folder = gln == null ? properties.outboxDir() : outbox(gln);
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).filter(f -> contains(f, text)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(Path file, String text) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains(text);
    } catch (NoSuchFileException e) {
      // Moved away since the walk found it (another test's blocked postbox put back).
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /**
   * A source record id no other test uses in this JVM, so a shared application never takes it for a
   * duplicate.
   */
  protected static String freshRecordId(String prefix) {
    return prefix + "-T" + FRESH.incrementAndGet();
  }

  /**
   * A valid CPR number (digits only) no other test uses in this JVM: a citizen without consents,
   * holds or history in a shared application. Born 1 January 1970, sequence 1xxx (1900s).
   */
  protected static String freshCpr() {
    return "010170" + (1000 + FRESH.incrementAndGet() % 9000);
  }

  /** The same CPR number as the sample records write it, DDMMYY-SSSS. */
  protected static String hyphenated(String cpr) {
    return cpr.substring(0, 6) + "-" + cpr.substring(6);
  }

  /**
   * A sample record (JSON {@code journalpostId} or XML {@code <besked id>}) under a record id of
   * its own, so the same sample posted by another test in a shared application is a different
   * message.
   */
  protected static byte[] withFreshId(byte[] record) {
    String text = new String(record, StandardCharsets.UTF_8);
    Matcher json = JSON_RECORD_ID.matcher(text);
    Matcher matcher = json.find() ? json : XML_RECORD_ID.matcher(text);
    if (matcher != json && !matcher.find()) {
      throw new IllegalArgumentException("no journalpostId or <besked id> in the record");
    }
    String fresh = freshRecordId(matcher.group(2));
    return (text.substring(0, matcher.start(2)) + fresh + text.substring(matcher.end(2)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A sample record about a citizen of its own ({@link #freshCpr}) under a record id of its own.
   */
  protected static byte[] withFreshCitizen(byte[] record, String sampleCpr, String cpr) {
    String text = new String(withFreshId(record), StandardCharsets.UTF_8);
    String hyphenatedSample = hyphenated(sampleCpr.replace("-", ""));
    if (!text.contains(hyphenatedSample)) {
      throw new IllegalArgumentException("the record does not name citizen " + hyphenatedSample);
    }
    return text.replace(hyphenatedSample, hyphenated(cpr)).getBytes(StandardCharsets.UTF_8);
  }

  private static Path newDataDir() {
    try {
      Path dir = Files.createTempDirectory("sektorbro-test-");
      DATA_DIRS.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Set<Path> DATA_DIRS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> DATA_DIRS.forEach(dir -> FileSystemUtils.deleteRecursively(dir.toFile())),
                "test-data-cleanup"));
  }
}
