package dk.sektorbro.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the release archive the way an IT department would: unpacks it into an empty folder,
 * starts the gateway with bin/sektorbro from a different working directory with a relative path to
 * the official MedCom packages (so MedCom validation is on), sends a record through REST, finds the
 * MedCom message in the recipient's postbox inside the installation, reads the JSON log file, and
 * stops the gateway with SIGTERM as systemd does.
 */
class DistributionTest {

  private static final Path ARCHIVE = Path.of(System.getProperty("distribution.archive"));
  private static final Path PACKAGES =
      Path.of(System.getProperty("medcom.packages")).toAbsolutePath().normalize();
  private static final Path SUITE_CACHE = suiteCache();
  private static final Path SAMPLE =
      Path.of("")
          .toAbsolutePath()
          .getParent()
          .resolve("test-messages/nordby-socialpsykiatri/status-efter-udskrivelse.json");
  private static final String CPR = "0503455012";
  private static final String P3_SOR = "990031000016002";
  private static final String P3_GLN = "5790009900030";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private int port;

  @Test
  void theArchiveInstallsStartsFromAnywhereDeliversAndStops(@TempDir Path temp) throws Exception {
    Path home = unpack(temp);
    assertThat(home.resolve("bin/sektorbro")).isExecutable();
    assertThat(home.resolve("lib/sektorbro-gateway.jar")).isRegularFile();
    assertThat(home.resolve("lib/lib"))
        .as("the jar extracted: its libraries on a plain class path")
        .isDirectoryContaining("glob:**/spring-core-*.jar")
        .isDirectoryContaining("glob:**/camel-core-engine-*.jar");
    assertThat(home.resolve("config/application.yml"))
        .content()
        .contains("gateway:", "package-dir:", "# recipients:");
    assertThat(home.resolve("mappings/nordby-socialpsykiatri.yaml")).isRegularFile();
    assertThat(home.resolve("profiles")).isDirectoryContaining("glob:**/*.json");
    assertThat(home.resolve("registry/synthetic-sor.xml")).isRegularFile();
    assertThat(home.resolve("systemd/sektorbro.service"))
        .content()
        .contains("ExecStart=/opt/sektorbro/bin/sektorbro");
    assertThat(home.resolve("LICENSE")).content().contains("Apache License", "Version 2.0");
    assertThat(home.resolve("NOTICE"))
        .content()
        .contains("ca.uhn.hapi.fhir:hapi-fhir-base", "org.apache.camel:camel-core");
    assertThat(home.resolve("docs/operations.md")).isRegularFile();

    // A class data sharing archive made for another Java (an upgraded JDK) is not used, and says
    // so.
    Files.writeString(home.resolve("lib/sektorbro.jsa"), "not an archive");
    Files.writeString(home.resolve("lib/sektorbro.jsa.java"), "openjdk version \"11.0.0\"");

    Path work = Files.createDirectories(temp.resolve("somewhere/else"));
    port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("bin/sektorbro").toString())
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("console.log").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("GATEWAY_") || k.startsWith("SPRING_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("JAVA_OPTS", "-Xmx768m");
    env.put("SERVER_PORT", Integer.toString(port));
    env.put("GATEWAY_CONFORMANCE_PACKAGE_DIR", work.relativize(PACKAGES).toString());
    env.put("GATEWAY_ADMIN_PASSWORD", "admin-dist-test-pw");
    env.put("GATEWAY_INTAKE_PASSWORD", "intake-dist-test-pw");
    env.put("GATEWAY_OPERATOR_PASSWORD", "operator-dist-test-pw");
    env.put("GATEWAY_LOG_FILE", "logs/gateway.log");
    env.put("GATEWAY_LOG_FILE_FORMAT", "ecs");
    // The suite's one conformance cache (root pom), which the gateway module's tests have filled:
    // without it this start parsed R4 core and the MedCom packages again (the cache is keyed by
    // the packages' content and the HAPI version, so the archive's own jars decide whether it is
    // read; docs/validation.md, "The conformance cache").
    if (SUITE_CACHE != null) {
      env.put("GATEWAY_CONFORMANCE_CACHE_DIR", SUITE_CACHE.toString());
    }
    assertThat(env.get("GATEWAY_CONFORMANCE_PACKAGE_DIR")).startsWith("..");

    Process gateway = builder.start();
    try {
      // Validator warm-up with the MedCom packages takes a minute or more on a busy 2-core machine.
      // Polled often: an unauthenticated health check costs the gateway next to nothing, and each
      // poll interval is wall time the suite waits after the gateway is up (2 s before).
      await()
          .atMost(Duration.ofMinutes(12))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                assertThat(gateway.isAlive())
                    .as(() -> "gateway stopped:\n" + tail(temp.resolve("console.log")))
                    .isTrue();
                return status("/actuator/health", null) == 200;
              });
      assertThat(temp.resolve("console.log"))
          .content()
          .contains("lib/sektorbro.jsa was made for another Java, not used");
      JsonNode health = get("/actuator/health", "operator:operator-dist-test-pw");
      assertThat(health.get("status").asText()).isEqualTo("UP");
      assertThat(health.at("/components/conformance/details/chains").has("CareCommunication"))
          .as("MedCom validation on, from a relative package path")
          .isTrue();
      assertThat(get("/actuator/health", null).has("components")).isFalse();

      assertThat(
              post("/api/v1/consents", "admin:admin-dist-test-pw", "application/json", consent())
                  .statusCode())
          .isEqualTo(201);
      HttpResponse<String> accepted =
          post(
              "/api/v1/records/nordby-socialpsykiatri",
              "intake:intake-dist-test-pw",
              "application/json",
              Files.readString(SAMPLE));
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String id = JSON.readTree(accepted.body()).get("id").asText();

      // Each poll is a signed-in request (a BCrypt check in the gateway): every 0.5 s, not 0.25.
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () ->
                  assertThat(
                          get("/api/v1/messages/" + id, "operator:operator-dist-test-pw")
                              .get("state")
                              .asText())
                      .isEqualTo("SENT"));
      String messageHeaderId =
          get("/api/v1/messages/" + id, "operator:operator-dist-test-pw")
              .get("messageHeaderId")
              .asText();
      assertThat(home.resolve("data/outbox/" + P3_GLN + "/" + messageHeaderId + ".xml"))
          .isRegularFile();
      assertThat(work.resolve("data"))
          .as("nothing written relative to the working directory")
          .doesNotExist();

      // The CLI's dry run: the same record, nothing journaled.
      ProcessBuilder cliBuilder =
          new ProcessBuilder(
                  home.resolve("bin/sektorbro").toString(),
                  "test-mapping",
                  "nordby-socialpsykiatri",
                  SAMPLE.toString())
              .directory(work.toFile())
              .redirectErrorStream(true);
      cliBuilder.environment().put("SEKTORBRO_URL", "http://localhost:" + port);
      cliBuilder.environment().put("SEKTORBRO_PASSWORD", "admin-dist-test-pw");
      Process cli = cliBuilder.start();
      String dryRun = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(cli.waitFor()).as(dryRun).isZero();
      JsonNode tried = JSON.readTree(dryRun);
      assertThat(tried.at("/outcome/state").asText()).as(dryRun).isEqualTo("VALIDATED");
      assertThat(tried.get("journaled").asBoolean()).isFalse();
      assertThat(get("/api/v1/messages", "operator:operator-dist-test-pw").get("total").asInt())
          .isEqualTo(1);

      Path log = work.resolve("logs/gateway.log");
      assertThat(log).isRegularFile();
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).isNotEmpty();
      for (String line : lines) {
        JsonNode event = JSON.readTree(line);
        assertThat(event.has("@timestamp") && event.has("message")).as(line).isTrue();
      }
      assertThat(lines).anyMatch(l -> l.contains(id));
      String all = String.join("\n", lines);
      assertThat(all).doesNotContain(CPR).doesNotContain("050345-5012").doesNotContain("Testesen");
    } finally {
      gateway.destroy();
      boolean stopped = gateway.waitFor(90, TimeUnit.SECONDS);
      if (!stopped) {
        gateway.destroyForcibly();
      }
      assertThat(stopped).as("the gateway stops on SIGTERM").isTrue();
    }
    assertThat(gateway.exitValue()).isIn(0, 143);
    assertThat(home.resolve("data/db")).isDirectory();
  }

  /**
   * Which start uses the class data sharing archive, decided by the script: a stand-in java prints
   * the command the script runs (no JVM starts). Java 17 crashed at start with the archive and
   * Flight Recorder (docs/operations.md, "Start-up time"), so a start with an agent or Flight
   * Recorder goes without it.
   */
  @Test
  void theArchiveIsUsedForItsJava_butNotWithAnAgentOrFlightRecorder(@TempDir Path temp)
      throws Exception {
    Path home = unpack(temp);
    Path fakeJava = Files.createDirectories(temp.resolve("fake-jdk/bin")).resolve("java");
    Files.writeString(
        fakeJava,
        """
        #!/bin/sh
        if [ "$1" = "-version" ]; then echo 'stand-in java 17'; exit 0; fi
        echo "java $*"
        """);
    assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
    Files.writeString(home.resolve("lib/sektorbro.jsa"), "an archive");
    Files.writeString(home.resolve("lib/sektorbro.jsa.java"), "stand-in java 17\n");

    assertThat(run(home, temp, "-Xmx1g"))
        .contains("-XX:SharedArchiveFile=" + home.resolve("lib/sektorbro.jsa"));
    for (String withHook :
        List.of(
            "-Xmx1g -XX:StartFlightRecording=filename=start.jfr",
            "-javaagent:/opt/apm/agent.jar",
            "-agentlib:jdwp=transport=dt_socket")) {
      assertThat(run(home, temp, withHook))
          .doesNotContain("SharedArchiveFile")
          .contains("lib/sektorbro.jsa not used with a Java agent or Flight Recorder");
    }
  }

  private static String run(Path home, Path temp, String javaOpts)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(home.resolve("bin/sektorbro").toString()).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", temp.resolve("fake-jdk").toString());
    builder.environment().put("JAVA_OPTS", javaOpts);
    Process script = builder.start();
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(script.waitFor()).as(output).isZero();
    return output;
  }

  /** The gateway module's conformance cache, when the build names one and it exists. */
  private static Path suiteCache() {
    String folder = System.getProperty("gateway.conformance.cache-dir");
    return folder == null || !Files.isDirectory(Path.of(folder))
        ? null
        : Path.of(folder).toAbsolutePath();
  }

  private static Path unpack(Path temp) throws IOException, InterruptedException {
    Path target = Files.createDirectories(temp.resolve("opt"));
    Process tar =
        new ProcessBuilder("tar", "xzf", ARCHIVE.toString(), "-C", target.toString())
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    try (Stream<Path> entries = Files.list(target)) {
      return entries.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  private String consent() {
    return """
        {"citizenCpr": "%s", "type": "consent", "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "organisation", "sor": "%s"}],
         "informationCategories": ["social-conditions", "current-treatment"], "purpose": "care-coordination",
         "givenAt": "%s", "collectedBy": "Karen Holm", "form": "written"}
        """
        .formatted(CPR, P3_SOR, OffsetDateTime.now().minusDays(1).truncatedTo(ChronoUnit.SECONDS));
  }

  private int status(String path, String user) {
    try {
      return http.send(request(path, user).GET().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private JsonNode get(String path, String user) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request(path, user).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> post(String path, String user, String type, String body)
      throws IOException, InterruptedException {
    return http.send(
        request(path, user)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path, String user) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (user != null) {
      builder.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no console output)";
    }
  }
}
