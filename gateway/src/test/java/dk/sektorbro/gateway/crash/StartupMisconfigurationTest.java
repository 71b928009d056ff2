package dk.sektorbro.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What the administrator sees when the gateway is started with a setting that cannot work: the real
 * gateway as a process of its own, as systemd starts it. It must stop by itself with a non-zero
 * exit code (so the service manager reports the failure), and its output must say in one line what
 * is wrong and where, without a wall of stack traces to dig the reason out of.
 */
@Tag("integration")
@Execution(ExecutionMode.CONCURRENT)
class StartupMisconfigurationTest {

  private static final Duration EXIT = Duration.ofMinutes(Long.getLong("kill.start.minutes", 10));

  @TempDir Path root;

  private GatewayProcess node;

  @AfterEach
  void cleanUp() {
    if (node != null && node.alive()) {
      node.destroy();
    }
  }

  @Test
  void aDatabaseUrlNobodyAnswers_stopsTheStartWithOneLineNamingIt() throws IOException {
    int closed = GatewayProcess.freePort();
    String output =
        failedStart(
            "unreachable-db",
            "--spring.datasource.url=jdbc:postgresql://localhost:" + closed + "/sektorbro",
            "--spring.datasource.username=sektorbro");
    assertThat(output)
        .contains(
            "spring.datasource.url=jdbc:postgresql://localhost:"
                + closed
                + "/sektorbro: the database cannot be reached (SQLSTATE 08001");
  }

  @Test
  void aPortInUse_stopsTheStartWithOneLineNamingIt() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      node =
          new GatewayProcess(
                  "port-in-use", root.resolve("data-port"), taken.getLocalPort(), root, List.of())
              .withoutOfficialPackages();
      String output = failedStart(node);
      assertThat(output).contains(Integer.toString(taken.getLocalPort())).contains("in use");
    }
  }

  @Test
  void aRegistryFileThatIsNotASorRegistry_stopsTheStartWithOneLineNamingIt() throws IOException {
    Path notSor =
        Files.writeString(root.resolve("registry.xml"), "<html><body>login</body></html>");
    String output =
        failedStart("not-sor", "--gateway.addressing.bootstrap-file=" + notSor.toAbsolutePath());
    assertThat(output).contains("gateway.addressing.bootstrap-file").contains(notSor.toString());
  }

  @Test
  void aGarbledMapping_stopsTheStartWithOneLineNamingIt() throws IOException {
    Path mappings = Files.createDirectories(root.resolve("mappings"));
    try (Stream<Path> shipped = Files.list(TestFiles.MAPPINGS)) {
      for (Path mapping : shipped.toList()) {
        Files.copy(mapping, mappings.resolve(mapping.getFileName()));
      }
    }
    Files.writeString(
        mappings.resolve("nordby-hjemmepleje.yaml"), "source: nordby-hjemmepleje\nfields: [\n");
    node = process("garbled-mapping", List.of()).mappings(mappings);
    String output = failedStart(node);
    assertThat(output).contains("gateway.mappings-dir").contains("nordby-hjemmepleje.yaml");
  }

  @Test
  void aSecondGatewayOnARunningGatewaysDataFolder_stopsWithOneLineNamingIt() throws IOException {
    Path shared = root.resolve("data-shared");
    GatewayProcess first =
        new GatewayProcess("first", shared, GatewayProcess.freePort(), root, List.of())
            .withoutOfficialPackages();
    try {
      first.start(EXIT);
      node =
          new GatewayProcess("second", shared, GatewayProcess.freePort(), root, List.of())
              .withoutOfficialPackages();
      String output = failedStart(node);
      assertThat(output)
          .contains("is in use by another gateway process")
          .contains(shared.toString());
      assertThat(first.alive()).as("the running gateway is left alone").isTrue();
    } finally {
      first.destroy();
    }
  }

  private String failedStart(String name, String... arguments) throws IOException {
    node = process(name, List.of(arguments));
    return failedStart(node);
  }

  private GatewayProcess process(String name, List<String> arguments) {
    return new GatewayProcess(
            name, root.resolve("data-" + name), GatewayProcess.freePort(), root, arguments)
        .withoutOfficialPackages();
  }

  // Starts the gateway, expects it to exit non-zero by itself; its output, checked for what an
  // administrator must not have to read through.
  private static String failedStart(GatewayProcess node) throws IOException {
    node.launch();
    int exit = node.awaitExit(EXIT);
    String output = Files.readString(node.log(), StandardCharsets.UTF_8);
    assertThat(exit).as("exit code; output:%n%s", output).isNotZero();
    assertThat(output.lines().filter(l -> l.startsWith("\tat ")).count())
        .as("stack trace lines in the output:%n%s", output)
        .isZero();
    assertThat(output).contains("APPLICATION FAILED TO START");
    return output;
  }
}
