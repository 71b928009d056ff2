package dk.sektorbro.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Time from JVM start to ready: starts the gateway in a new JVM (this jar, main class
 * GatewayApplication, the MedCom packages given) and polls {@code /actuator/health} until it says
 * UP. The chains are loaded before the application context is up, so UP means the packages are
 * loaded (their warm-up goes on after, off the path to ready). Every run has an empty data folder,
 * but all runs share one conformance cache folder: a first start, reported apart, writes it, and
 * the N measured runs read it, as every start after the first does in operation. With {@code
 * --restart} all runs share one data folder too, as the restarts of an installed gateway do: the
 * first start creates its database (initdb, migrations), the measured ones find it. Options: {@code
 * --packages=DIR --mappings=DIR --runs=N --xmx=SIZE --restart}.
 */
public final class ReadyBenchmark {

  public static void main(String[] args) throws Exception {
    Path packages = null;
    Path mappings = Path.of("mappings").toAbsolutePath();
    int runs = 1;
    String xmx = "1g";
    boolean restart = false;
    for (String arg : args) {
      String value = arg.substring(arg.indexOf('=') + 1);
      if (arg.startsWith("--packages=")) {
        packages = Path.of(value).toAbsolutePath();
      } else if (arg.startsWith("--mappings=")) {
        mappings = Path.of(value).toAbsolutePath();
      } else if (arg.startsWith("--runs=")) {
        runs = Integer.parseInt(value);
      } else if (arg.startsWith("--xmx=")) {
        xmx = value;
      } else if (arg.equals("--restart")) {
        restart = true;
      } else {
        throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    Path cacheDir = Files.createTempDirectory("sektorbro-ready-cache-");
    Path sharedDataDir = restart ? Files.createTempDirectory("sektorbro-ready-") : null;
    for (int run = 0; run <= runs; run++) {
      Path dataDir = restart ? sharedDataDir : Files.createTempDirectory("sektorbro-ready-");
      int port = freePort();
      List<String> command =
          new ArrayList<>(
              List.of(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-Xmx" + xmx,
                  "-Dloader.main=dk.sektorbro.gateway.GatewayApplication",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "org.springframework.boot.loader.launch.PropertiesLauncher",
                  "--server.port=" + port,
                  "--gateway.data-dir=" + dataDir,
                  "--gateway.conformance.cache-dir=" + cacheDir,
                  "--gateway.mappings-dir=" + mappings,
                  "--gateway.addressing.bootstrap-file="
                      + mappings.resolveSibling("registry/synthetic-sor.xml"),
                  "--logging.level.root=WARN"));
      if (packages != null) {
        command.add("--gateway.conformance.package-dir=" + packages);
      }
      String loadBefore = loadAverage();
      long start = System.nanoTime();
      Process gateway =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dataDir.resolve("gateway.log").toFile()))
              .start();
      try {
        double seconds = awaitUp(gateway, port, start);
        System.out.printf(
            Locale.ROOT,
            "%s: JVM start to health UP %.1f s (packages %s, -Xmx%s%s; load average %s -> %s)%n",
            run == 0 ? "first start, writes the conformance cache" : "run " + run,
            seconds,
            packages == null ? "none" : "loaded",
            xmx,
            restart && run > 0 ? ", restart on the same data folder" : "",
            loadBefore,
            loadAverage());
      } finally {
        gateway.destroy();
        gateway.waitFor();
      }
    }
  }

  private static double awaitUp(Process gateway, int port, long start)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    while (gateway.isAlive()) {
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"")) {
          return (System.nanoTime() - start) / 1e9;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the gateway exited with " + gateway.exitValue() + " before it was ready");
  }

  // The machine is shared: a wall-clock figure means little without the load beside it.
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private ReadyBenchmark() {}
}
