package dk.sektorbro.benchmarks;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.consent.ConsentRegistry;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Throughput of 1, 2 and 3 gateway nodes on one PostgreSQL (forced commits, as in production), in
 * one run: for each cluster size a fresh database, the nodes started (the first alone, then the
 * others), N records submitted by REST spread round-robin over the nodes by 4 clients, timed until
 * every record is SENT. The nodes run in this JVM (separate Spring contexts, each with its own
 * Camel, validator and work-engine scheduler), so they share its heap and the machine's cores.
 *
 * <p>{@code ./mvnw -B -ntp -pl benchmarks -am package -DskipTests} then, from the repository root,
 * {@code java -Xmx2g -Dloader.main=dk.sektorbro.benchmarks.ClusterBenchmark -cp
 * benchmarks/target/sektorbro-benchmarks.jar
 * org.springframework.boot.loader.launch.PropertiesLauncher --records=300}
 */
public final class ClusterBenchmark {

  private static final String INTAKE_PASSWORD = "bench-intake-pw";

  public static void main(String[] args) throws Exception {
    int records = 300;
    int maxNodes = 3;
    for (String arg : args) {
      if (arg.startsWith("--records=")) {
        records = Integer.parseInt(arg.substring(10));
      } else if (arg.startsWith("--nodes=")) {
        maxNodes = Integer.parseInt(arg.substring(8));
      }
    }
    Path repo = Path.of("").toAbsolutePath();
    RecordGenerator generator = new RecordGenerator(repo.resolve("test-messages"));
    System.out.printf(
        Locale.ROOT,
        "Sektorbro cluster benchmark: %d records per run, %d cores, max heap %d MB%n",
        records,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    List<String> results = new ArrayList<>();
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .start()) {
      for (int nodes = 1; nodes <= maxNodes; nodes++) {
        results.add(run(postgres, repo, generator, records, nodes));
      }
    }
    System.out.println();
    System.out.println(
        "| nodes | records | seconds | records/s | load average (1 min) at start / end |");
    System.out.println("|---|---|---|---|---|");
    results.forEach(System.out::println);
  }

  private static String run(
      EmbeddedPostgres postgres, Path repo, RecordGenerator generator, int records, int nodes)
      throws Exception {
    String database = "bench_" + nodes;
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    String url = postgres.getJdbcUrl("postgres", database);
    List<ConfigurableApplicationContext> cluster = new ArrayList<>();
    try {
      for (int i = 1; i <= nodes; i++) {
        cluster.add(start(repo, url, "bench-node-" + i));
        if (i == 1) {
          generator.recordConsents(cluster.get(0).getBean(ConsentRegistry.class), records);
        }
      }
      List<String> bases =
          cluster.stream()
              .map(
                  node ->
                      "http://localhost:" + node.getEnvironment().getProperty("local.server.port"))
              .toList();
      Journal journal = cluster.get(0).getBean(Journal.class);
      HttpClient http = HttpClient.newHttpClient();
      AtomicInteger next = new AtomicInteger();
      // The machine's load around the run: on a shared host the other processes' share of the
      // cores.
      double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long start = System.nanoTime();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<?>> submitted = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        submitted.add(
            clients.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < records; i = next.getAndIncrement()) {
                    submit(http, bases.get(i % bases.size()), generator.record(i));
                  }
                  return null;
                }));
      }
      for (Future<?> future : submitted) {
        future.get();
      }
      clients.shutdown();
      double intakeSeconds = (System.nanoTime() - start) / 1e9;
      while (journal.count(new JournalQuery(MessageState.SENT, null, null, null, null, 0, 1))
          < records) {
        if (System.nanoTime() - start > Duration.ofMinutes(30).toNanos()) {
          throw new IllegalStateException("not all SENT within 30 minutes");
        }
        Thread.sleep(200);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      System.out.printf(
          Locale.ROOT,
          "%d node(s): %d records SENT in %.1f s (%.1f records/s; intake took %.1f s; load average %.1f -> %.1f)%n",
          nodes,
          records,
          seconds,
          records / seconds,
          intakeSeconds,
          loadAtStart,
          loadAtEnd);
      return String.format(
          Locale.ROOT,
          "| %d | %d | %.1f | %.1f | %.1f / %.1f |",
          nodes,
          records,
          seconds,
          records / seconds,
          loadAtStart,
          loadAtEnd);
    } finally {
      for (ConfigurableApplicationContext node : cluster) {
        node.close();
      }
    }
  }

  private static void submit(HttpClient http, String base, byte[] record) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/records/" + RecordGenerator.SOURCE))
            .header("Content-Type", "application/json")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            ("intake:" + INTAKE_PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofByteArray(record))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202 && response.statusCode() != 200) {
      throw new IllegalStateException("intake answered " + response.statusCode());
    }
  }

  private static ConfigurableApplicationContext start(Path repo, String url, String name)
      throws Exception {
    Path dataDir = Files.createTempDirectory("sektorbro-cluster-bench-");
    return new SpringApplicationBuilder(GatewayApplication.class)
        .run(
            "--server.port=0",
            "--spring.datasource.url=" + url,
            "--spring.datasource.username=postgres",
            "--spring.jmx.enabled=false",
            "--gateway.node.name=" + name,
            "--gateway.data-dir=" + dataDir,
            "--gateway.mappings-dir=" + repo.resolve("mappings"),
            "--gateway.addressing.bootstrap-file=" + repo.resolve("registry/synthetic-sor.xml"),
            "--gateway.conformance.mode=fast",
            "--logging.level.root=WARN",
            "--logging.level.dk.sektorbro=WARN",
            "--GATEWAY_INTAKE_PASSWORD=" + INTAKE_PASSWORD,
            "--GATEWAY_ADMIN_PASSWORD=bench-admin-pw",
            "--GATEWAY_OPERATOR_PASSWORD=bench-operator-pw");
  }
}
