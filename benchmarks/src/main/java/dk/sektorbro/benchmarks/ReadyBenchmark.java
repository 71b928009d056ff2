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
import java.util.Map;

/**
 * Time from JVM start to ready: starts the gateway in a new JVM (this jar, main class
 * GatewayApplication, the MedCom packages given) and polls {@code /actuator/health} until it says
 * UP. The chains are loaded before the application context is up, so UP means the packages are
 * loaded (their warm-up goes on after, off the path to ready). Every run has an empty data folder,
 * but all runs share one conformance cache folder: a first start, reported apart, writes it, and
 * the N measured runs read it, as every start after the first does in operation. With {@code
 * --restart} all runs share one data folder too, as the restarts of an installed gateway do: the
 * first start creates its database (initdb, migrations), the measured ones find it. With {@code
 * --home=DIR} (an unpacked release archive) every run also starts the gateway the way production
 * does, through {@code DIR/bin/sektorbro} (the extracted jar, and the class data sharing archive if
 * {@code bin/sektorbro cds} made one), on the same folders, right after the nested-jar start, so
 * the two figures are side by side. Beside the wall time it prints the JVM's CPU time to ready,
 * which holds better than wall time on a shared machine. Options: {@code --packages=DIR
 * --mappings=DIR --runs=N --xmx=SIZE --restart --home=DIR --summary=FILE} (the measured runs'
 * longest and median time to ready, nested jar and installed, as a properties file).
 */
public final class ReadyBenchmark {

  public static void main(String[] args) throws Exception {
    Path packages = null;
    Path mappings = Path.of("mappings").toAbsolutePath();
    int runs = 1;
    String xmx = "1g";
    boolean restart = false;
    Path home = null;
    Path summaryFile = null;
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
      } else if (arg.startsWith("--home=")) {
        home = Path.of(value).toAbsolutePath();
      } else if (arg.equals("--restart")) {
        restart = true;
      } else if (arg.startsWith("--summary=")) {
        summaryFile = Path.of(value).toAbsolutePath();
      } else {
        throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    Path cacheDir = Files.createTempDirectory("sektorbro-ready-cache-");
    Path sharedDataDir = restart ? Files.createTempDirectory("sektorbro-ready-") : null;
    List<Double> readySeconds = new ArrayList<>();
    List<Double> installedSeconds = new ArrayList<>();
    for (int run = 0; run <= runs; run++) {
      Path dataDir = restart ? sharedDataDir : Files.createTempDirectory("sektorbro-ready-");
      List<String> settings =
          new ArrayList<>(
              List.of(
                  "--gateway.data-dir=" + dataDir,
                  "--gateway.conformance.cache-dir=" + cacheDir,
                  "--gateway.mappings-dir=" + mappings,
                  "--gateway.addressing.bootstrap-file="
                      + mappings.resolveSibling("registry/synthetic-sor.xml"),
                  "--logging.level.root=WARN"));
      if (packages != null) {
        settings.add("--gateway.conformance.package-dir=" + packages);
      }
      String label = run == 0 ? "first start, writes the conformance cache" : "run " + run;
      String restarting = restart && run > 0 ? ", restart on the same data folder" : "";
      List<String> nested =
          new ArrayList<>(
              List.of(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-Xmx" + xmx,
                  "-Dloader.main=dk.sektorbro.gateway.GatewayApplication",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "org.springframework.boot.loader.launch.PropertiesLauncher"));
      nested.addAll(settings);
      double seconds =
          time(label + ", nested jar", nested, Map.of(), dataDir, packages, xmx + restarting);
      if (run > 0) {
        readySeconds.add(seconds);
      }
      if (home != null && run > 0) {
        List<String> installed =
            new ArrayList<>(List.of(home.resolve("bin/sektorbro").toString(), "run"));
        installed.addAll(settings);
        String archive = Files.exists(home.resolve("lib/sektorbro.jsa")) ? "with" : "without";
        installedSeconds.add(
            time(
                label + ", bin/sektorbro " + archive + " lib/sektorbro.jsa",
                installed,
                Map.of("JAVA_OPTS", "-Xmx" + xmx, "JAVA_HOME", System.getProperty("java.home")),
                dataDir,
                packages,
                xmx + restarting));
      }
    }
    Summary summary = new Summary();
    summary.put("ready_runs", readySeconds.size());
    putRange(summary, "ready_seconds", readySeconds);
    putRange(summary, "installed_ready_seconds", installedSeconds);
    summary.put("archive", home != null && Files.exists(home.resolve("lib/sektorbro.jsa")) ? 1 : 0);
    summary.writeTo(summaryFile);
  }

  private static void putRange(Summary summary, String name, List<Double> seconds) {
    List<Double> sorted = seconds.stream().sorted().toList();
    if (!sorted.isEmpty()) {
      summary.put(name + "_max", sorted.get(sorted.size() - 1));
      summary.put(name + "_median", sorted.get(sorted.size() / 2));
    }
  }

  private static double time(
      String label,
      List<String> command,
      Map<String, String> environment,
      Path dataDir,
      Path packages,
      String flags)
      throws IOException, InterruptedException {
    int port = freePort();
    List<String> withPort = new ArrayList<>(command);
    withPort.add("--server.port=" + port);
    ProcessBuilder builder =
        new ProcessBuilder(withPort)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dataDir.resolve("gateway.log").toFile()));
    builder.environment().keySet().removeIf(k -> k.startsWith("GATEWAY_"));
    builder.environment().putAll(environment);
    String loadBefore = loadAverage();
    long start = System.nanoTime();
    Process gateway = builder.start();
    try {
      double seconds = awaitUp(gateway, port, start);
      System.out.printf(
          Locale.ROOT,
          "%s: JVM start to health UP %.1f s, JVM CPU %.1f s (packages %s, -Xmx%s; load average"
              + " %s -> %s)%n",
          label,
          seconds,
          cpuSeconds(gateway.pid()),
          packages == null ? "none" : "loaded",
          flags,
          loadBefore,
          loadAverage());
      return seconds;
    } finally {
      gateway.destroy();
      gateway.waitFor();
    }
  }

  // User + system CPU time of the process so far, from /proc (clock ticks of 1/100 s on Linux).
  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
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
