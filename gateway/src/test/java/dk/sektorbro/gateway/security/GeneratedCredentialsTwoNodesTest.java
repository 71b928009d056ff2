package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.support.RouteTestProperties;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * Two nodes started at once on a new shared data folder, no passwords in the environment: both
 * generate the built-in users' passwords. They must end with one set, the one in the credentials
 * file; otherwise a client given the file's password is refused by the node whose own set lost the
 * race (until that node restarts), or a node does not start at all.
 */
class GeneratedCredentialsTwoNodesTest {

  @TempDir Path root;

  @Test
  void twoNodesStartingAtOnce_onOneDataFolder_useThePasswordsInTheFile() throws Exception {
    ExecutorService nodes = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 40; round++) {
        Path data = Files.createDirectories(root.resolve("round-" + round));
        GatewayProperties properties =
            RouteTestProperties.gateway(
                data,
                RouteTestProperties.repositoryMappings(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1));
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<GatewayCredentials>> started = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
          started.add(
              nodes.submit(
                  () -> {
                    start.await();
                    return new GatewayCredentials(
                        new MockEnvironment(), properties, List.of("nordby-hjemmepleje"));
                  }));
        }
        Properties file = new Properties();
        GatewayCredentials first = started.get(0).get();
        GatewayCredentials second = started.get(1).get();
        try (Reader reader = Files.newBufferedReader(data.resolve("credentials"))) {
          file.load(reader);
        }
        for (Role role : Role.values()) {
          assertThat(first.password(role))
              .as("round %d: %s on the first node", round, role.userName())
              .isEqualTo(file.getProperty(role.userName()));
          assertThat(second.password(role))
              .as("round %d: %s on the second node", round, role.userName())
              .isEqualTo(file.getProperty(role.userName()));
        }
        assertThat(second.sourcePassword("nordby-hjemmepleje"))
            .isEqualTo(first.sourcePassword("nordby-hjemmepleje"))
            .isEqualTo(file.getProperty("intake-nordby-hjemmepleje"));
      }
    } finally {
      nodes.shutdownNow();
    }
  }
}
