package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.RouteTestProperties;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * As {@link GeneratedCredentialsTwoNodesTest}, between two processes, as two gateway nodes on two
 * hosts (or two JVMs on one) sharing a data folder: there the monitor does nothing and only the
 * file lock ({@code credentials.lock}) keeps them to one set of passwords. Two JVMs each generate
 * the passwords of a new data folder at the same signal, round after round.
 */
class GeneratedCredentialsTwoProcessesTest {

  private static final int ROUNDS = 15;

  @TempDir Path root;

  @Test
  void twoProcessesStartingAtOnce_onOneDataFolder_useThePasswordsInTheFile() throws Exception {
    List<Process> children = new ArrayList<>();
    try {
      for (int child = 0; child < 2; child++) {
        children.add(
            new ProcessBuilder(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xshare:auto",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName(),
                    root.toString(),
                    "child-" + child,
                    String.valueOf(ROUNDS))
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("child-" + child + ".log").toFile())
                .start());
      }
      for (int round = 0; round < ROUNDS; round++) {
        Path data = root.resolve("round-" + round);
        Files.createDirectories(data);
        Files.createFile(root.resolve("go-" + round)); // both wait for it, then generate at once
        Path first = data.resolve("child-0.properties");
        Path second = data.resolve("child-1.properties");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(first) && Files.exists(second))) {
          assertThat(System.nanoTime())
              .as("round %d: both children answered", round)
              .isLessThan(deadline);
          assertThat(children).as("children alive").allMatch(Process::isAlive);
          Thread.sleep(20);
        }
        Properties file = load(data.resolve("credentials"));
        for (Path answer : List.of(first, second)) {
          Properties used = load(answer);
          for (Role role : Role.values()) {
            assertThat(used.getProperty(role.userName()))
                .as("round %d: %s in %s", round, role.userName(), answer.getFileName())
                .isNotNull()
                .isEqualTo(file.getProperty(role.userName()));
          }
        }
      }
      for (Process child : children) {
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return properties;
  }

  /**
   * One process: for each round, at the signal, the passwords of that round's data folder as a node
   * starting there gets them; written where the test reads them (a temporary test folder).
   */
  public static final class Child {

    public static void main(String[] args) throws Exception {
      Path root = Path.of(args[0]);
      String name = args[1];
      int rounds = Integer.parseInt(args[2]);
      for (int round = 0; round < rounds; round++) {
        Path go = root.resolve("go-" + round);
        while (!Files.exists(go)) {
          Thread.sleep(1);
        }
        Path data = root.resolve("round-" + round);
        GatewayCredentials credentials =
            new GatewayCredentials(
                new MockEnvironment(),
                RouteTestProperties.gateway(
                    data,
                    RouteTestProperties.repositoryMappings(),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1)),
                List.of("nordby-hjemmepleje"));
        Properties used = new Properties();
        for (Role role : Role.values()) {
          used.setProperty(role.userName(), credentials.password(role));
        }
        Path tmp = data.resolve(name + ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp)) {
          used.store(writer, null);
        }
        Files.move(tmp, data.resolve(name + ".properties"), StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }
}
