package dk.sektorbro.benchmarks;

import dk.sektorbro.gateway.GatewayApplication;
import dk.sektorbro.gateway.consent.ConsentRegistry;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.validation.ConformanceChain;
import dk.sektorbro.gateway.validation.ConformanceChains;
import dk.sektorbro.gateway.validation.ConformanceStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * Pushes N generated records through the full pipeline (file inbox, mapping, journal, gates,
 * translation, validation, postbox) on embedded defaults and prints throughput, intake-to-postbox
 * latency, validation time and peak heap; beside it, in the same run, the floor: building and
 * encoding the same messages with HAPI alone.
 *
 * <p>Run from the repository root (see README, "Benchmark"): {@code java -Xmx512m -jar
 * benchmarks/target/sektorbro-benchmarks.jar --records=10000}
 */
public final class PipelineBenchmark {

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Path dataDir = Files.createTempDirectory("sektorbro-bench-");
    RecordGenerator generator =
        new RecordGenerator(options.mappings().resolveSibling("test-messages"));
    System.out.printf(
        Locale.ROOT,
        "Sektorbro pipeline benchmark: %d records (%s), inbox poll %s, stable after %s,"
            + " max heap %d MB, %d cores, data %s%n",
        options.records(),
        options.rate() > 0 ? "paced at " + options.rate() + "/s" : "all at once",
        options.pollDelay(),
        options.stableAfter(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024),
        Runtime.getRuntime().availableProcessors(),
        dataDir);

    FloorResult floor = Floor.measure(generator, options.mappings(), options.records());
    System.gc();
    long startContext = System.nanoTime();
    SqlCounter sql = new SqlCounter();
    Path pgData = dataDir.resolve("db").resolve("postgres");
    // From the start, so that a C2 compilation in the measured window is known as a first one or
    // one again (after a deoptimisation).
    JitWindow jit = options.jitDetail() ? JitWindow.start() : null;
    try (HeapSampler heap = new HeapSampler();
        ConfigurableApplicationContext gateway = start(options, dataDir, sql)) {
      System.out.printf(
          Locale.ROOT,
          "gateway context started in %.1f s (validation mode %s; packages loaded)%n",
          (System.nanoTime() - startContext) / 1e9,
          options.mode());
      // The validator warms up after ready (off the path to ready, ReadyBenchmark measures that);
      // messages that come before wait for it. Latency and throughput here are the steady flow's.
      long startWarmUp = System.nanoTime();
      ConformanceChains chains = gateway.getBean(ConformanceStatus.class).chains();
      while (!chains.all().stream().allMatch(ConformanceChain::warm)) {
        Thread.sleep(50);
      }
      System.out.printf(
          Locale.ROOT,
          "validator warm-up after ready: waited %.1f s before the first record%n",
          (System.nanoTime() - startWarmUp) / 1e9);
      Journal journal = gateway.getBean(Journal.class);
      // Every generated citizen has a covering consent, as in a municipality that records them: the
      // consent gate then does its real lookup for each message instead of holding it.
      generator.recordConsents(
          gateway.getBean(ConsentRegistry.class), options.records() + options.warmup());
      Path inbox =
          Files.createDirectories(dataDir.resolve("inbox").resolve(RecordGenerator.SOURCE));
      if (options.warmup() > 0) {
        // Records of their own (numbered after the measured ones) through the whole pipeline
        // first, so that what follows is measured with the JIT's work on these paths done: the
        // steady state of a gateway that has been running, not its first minutes.
        long startWarm = System.nanoTime();
        for (int i = 0; i < options.warmup(); i++) {
          Path temp = inbox.resolve(".warm-" + i + ".json");
          Files.write(temp, generator.record(options.records() + i));
          Files.move(temp, inbox.resolve("warm-" + i + ".json"));
        }
        awaitFinished(gateway, journal, options.warmup(), options.timeout());
        System.out.printf(
            Locale.ROOT,
            "pipeline warm-up: %d records through the pipeline in %.1f s, not measured%n",
            options.warmup(),
            (System.nanoTime() - startWarm) / 1e9);
      }
      List<byte[]> records = new ArrayList<>(options.records());
      for (int i = 0; i < options.records(); i++) {
        records.add(generator.record(i));
      }
      Map<String, Instant> dropped = new HashMap<>();
      DataSource dataSource = gateway.getBean(DataSource.class);
      Map<String, Double> serverBefore = PostgresStats.counters(dataSource);
      Map<String, long[]> tablesBefore = PostgresStats.tables(dataSource);
      Map<String, long[]> sqlBefore = sql.snapshot();
      Map<String, Double> pgCpuBefore = PostgresStats.cpuByProcess(pgData);
      ThreadCpu cpu = ThreadCpu.start();
      Instant start = Instant.now();
      long startNanos = System.nanoTime();
      for (int i = 0; i < options.records(); i++) {
        if (options.rate() > 0) {
          // Paced: record i is due i/rate seconds after the start (latency without a backlog).
          long due = startNanos + (long) (i * 1e9 / options.rate());
          while (System.nanoTime() < due) {
            LockSupport.parkNanos(due - System.nanoTime());
          }
        }
        String name = "bench-" + i + ".json";
        Path temp = inbox.resolve("." + name);
        Files.write(temp, records.get(i));
        Files.move(temp, inbox.resolve(name));
        dropped.put(name, Instant.now());
      }
      Instant allDropped = Instant.now();
      awaitFinished(gateway, journal, options.warmup() + options.records(), options.timeout());
      Instant end = Instant.now();
      Map<String, Double> cpuPerMessage = cpu.perMessage(options.records());
      Map<String, Double> pgCpuAfter = PostgresStats.cpuByProcess(pgData);
      Map<String, long[]> sqlAfter = sql.snapshot();
      // Backends send their statistics about once a second: let them arrive.
      Thread.sleep(1500);
      Map<String, Double> serverAfter = PostgresStats.counters(dataSource);
      Map<String, long[]> tablesAfter = PostgresStats.tables(dataSource);
      Summary summary = new Summary();
      report(options, journal, dropped, start, allDropped, end, floor, gateway, heap, summary);
      printCpu(
          cpuPerMessage,
          postgresPerMessage(pgCpuBefore, pgCpuAfter, options.records()),
          floor,
          summary);
      printSql(sqlBefore, sqlAfter, serverBefore, serverAfter, options.records());
      printTables(tablesBefore, tablesAfter, options.records());
      // Since start-up: the warm-up records are among them.
      printStatements(sql, options.records() + options.warmup());
      if (jit != null) {
        jit.print(start, end, options.records());
      }
      summary.writeTo(options.summary());
    } finally {
      if (jit != null) {
        jit.close();
      }
      // The journal, postbox and archive of a run take about 100 KB per record (650 MB for 7,000):
      // left behind run after run they filled a shared machine's disk. Removed after the gateway
      // and its database have stopped, unless asked to keep them.
      if (options.keepData()) {
        System.out.println("data kept in " + dataDir);
      } else {
        FileSystemUtils.deleteRecursively(dataDir);
      }
    }
  }

  private static ConfigurableApplicationContext start(
      Options options, Path dataDir, SqlCounter sql) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--gateway.data-dir=" + dataDir,
                "--gateway.mappings-dir=" + options.mappings(),
                "--gateway.addressing.bootstrap-file="
                    + options.mappings().resolveSibling("registry/synthetic-sor.xml"),
                "--gateway.intake.file-poll-delay=" + options.pollDelay(),
                "--gateway.intake.file-stable-after=" + options.stableAfter(),
                "--gateway.conformance.mode=" + options.mode(),
                "--logging.level.root=WARN",
                "--logging.level.dk.sektorbro=WARN",
                // Stage percentiles over the whole run, not the default two-minute window.
                "--management.metrics.distribution.expiry.gateway.stage.duration=2h",
                "--management.metrics.distribution.buffer-length.gateway.stage.duration=1"));
    if (options.packages() != null) {
      args.add("--gateway.conformance.package-dir=" + options.packages());
    }
    return new SpringApplicationBuilder(GatewayApplication.class)
        .initializers(context -> context.getBeanFactory().addBeanPostProcessor(sql))
        .run(args.toArray(String[]::new));
  }

  // Polled on the gateway's own counters of entries reaching SENT and FAILED, which cost the
  // database nothing, and confirmed once in the journal: counting the journal's rows every 200 ms
  // read thousands of rows per poll, and that reading was PostgreSQL CPU charged to the messages.
  private static void awaitFinished(
      ConfigurableApplicationContext gateway, Journal journal, int records, Duration timeout)
      throws InterruptedException {
    MeterRegistry meters = gateway.getBean(MeterRegistry.class);
    Instant deadline = Instant.now().plus(timeout);
    long done = 0;
    while (Instant.now().isBefore(deadline)) {
      if (reached(meters, MessageState.SENT) + reached(meters, MessageState.FAILED) >= records) {
        done = count(journal, MessageState.SENT) + count(journal, MessageState.FAILED);
        if (done >= records) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("timed out with " + done + " of " + records + " finished");
  }

  private static double reached(MeterRegistry meters, MessageState state) {
    var counter = meters.find("gateway.messages").tag("state", state.name()).counter();
    return counter == null ? 0 : counter.count();
  }

  private static void report(
      Options options,
      Journal journal,
      Map<String, Instant> dropped,
      Instant start,
      Instant allDropped,
      Instant end,
      FloorResult floor,
      ConfigurableApplicationContext gateway,
      HeapSampler heap,
      Summary summary) {
    List<Latencies.Trace> traces = Latencies.traces(journal, dropped);
    List<Long> latencies = Latencies.totals(traces);
    double seconds = Duration.between(start, end).toNanos() / 1e9;
    summary.put("records", options.records());
    summary.put("warmup", options.warmup());
    summary.put("rate", options.rate());
    summary.put("sent", count(journal, MessageState.SENT));
    summary.put("failed", count(journal, MessageState.FAILED));
    summary.put("throughput_per_second", options.records() / seconds);
    summary.put("latency_p50_ms", Stats.percentile(latencies, 50));
    summary.put("latency_p99_ms", Stats.percentile(latencies, 99));
    summary.put("latency_max_ms", Stats.percentile(latencies, 100));
    summary.put("peak_heap_mb", heap.peakMb());
    summary.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    summary.put("floor_per_second", floor.perSecond());
    summary.put("floor_cpu_ms", floor.cpuMillisPerMessage());
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "records                      %d (sent %d, failed %d%s)%n",
        options.records(),
        count(journal, MessageState.SENT),
        count(journal, MessageState.FAILED),
        options.warmup() > 0
            ? "; with the " + options.warmup() + " warm-up records, as are the stage timers"
            : "");
    System.out.printf(
        Locale.ROOT,
        "dropping all files took      %.1f s%n",
        Duration.between(start, allDropped).toMillis() / 1000.0);
    System.out.printf(
        Locale.ROOT,
        "pipeline throughput          %.1f messages/s (%.1f s for all)%n",
        options.records() / seconds,
        seconds);
    System.out.printf(
        Locale.ROOT,
        "intake-to-postbox latency    p50 %d ms, p99 %d ms, max %d ms%n",
        Stats.percentile(latencies, 50),
        Stats.percentile(latencies, 99),
        Stats.percentile(latencies, 100));
    Latencies.printBreakdown(traces);
    StageTimes.print(gateway, summary);
    StageTimes.printFastMemory(gateway);
    System.out.printf(
        Locale.ROOT,
        "peak heap used               %d MB (max %d MB)%n",
        heap.peakMb(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "floor: HAPI build + encode   %.1f messages/s on one thread, p50 %.2f ms, p99 %.2f ms%n",
        floor.perSecond(),
        floor.p50Millis(),
        floor.p99Millis());
    System.out.printf(
        Locale.ROOT,
        "pipeline vs floor (wall)     %.1f %% (pipeline on all cores, floor on one thread)%n",
        100 * options.records() / seconds / floor.perSecond());
    if (!traces.isEmpty() && options.rate() == 0) {
      // The figure above counts from the first file dropped, so a burst's first stable-after wait
      // is in it; this one counts the flow only (messages traced: those SENT).
      double flow = traces.size() / Latencies.flowSeconds(traces);
      summary.put("flow_per_second", flow);
      summary.put("flow_percent_of_floor", 100 * flow / floor.perSecond());
      System.out.printf(
          Locale.ROOT,
          "pipeline vs floor (flow)     %.1f %% (%.1f messages/s from the first read to the last"
              + " sent, without the inbox's %s stable-after wait)%n",
          100 * flow / floor.perSecond(),
          flow,
          options.stableAfter());
    }
  }

  /**
   * The server's CPU per message by kind of process, between two readings; empty when there is no
   * /proc. A process that started and ended in between is in "postmaster and ended processes".
   */
  private static Map<String, Double> postgresPerMessage(
      Map<String, Double> before, Map<String, Double> after, int records) {
    Map<String, Double> perMessage = new LinkedHashMap<>();
    after.forEach(
        (kind, millis) ->
            perMessage.put(kind, (millis - before.getOrDefault(kind, 0.0)) / records));
    return perMessage;
  }

  private static void printCpu(
      Map<String, Double> perMessage,
      Map<String, Double> postgres,
      FloorResult floor,
      Summary summary) {
    double postgresMillis =
        postgres.isEmpty() ? -1 : postgres.values().stream().mapToDouble(Double::doubleValue).sum();
    System.out.println();
    System.out.println("CPU per message by stage (thread CPU time, all threads of the stage):");
    perMessage.forEach(
        (stage, millis) -> System.out.printf(Locale.ROOT, "  %-18s %7.2f ms%n", stage, millis));
    double gateway = perMessage.get("gateway total");
    summary.put("gateway_cpu_ms", gateway);
    if (postgresMillis >= 0) {
      summary.put("postgres_cpu_ms", postgresMillis);
    }
    if (postgresMillis >= 0) {
      System.out.printf(
          Locale.ROOT,
          "  %-18s %7.2f ms   (embedded server: postmaster and its processes, from /proc)%n",
          "PostgreSQL",
          postgresMillis);
      postgres.forEach(
          (kind, millis) ->
              System.out.printf(Locale.ROOT, "    of which %-30s %7.2f ms%n", kind, millis));
      System.out.printf(
          Locale.ROOT, "  %-18s %7.2f ms%n", "gateway + database", gateway + postgresMillis);
      gateway += postgresMillis;
    }
    System.out.printf(
        Locale.ROOT,
        "floor: build + encode         %7.2f ms CPU per message (one thread)%n",
        floor.cpuMillisPerMessage());
    System.out.printf(
        Locale.ROOT,
        "gateway CPU vs floor          %.1f %% of the floor's rate per core%n",
        100 * floor.cpuMillisPerMessage() / gateway);
  }

  private static void printSql(
      Map<String, long[]> before,
      Map<String, long[]> after,
      Map<String, Double> serverBefore,
      Map<String, Double> serverAfter,
      int messages) {
    System.out.println();
    System.out.println(
        "SQL per message by stage (JDBC: statements executed, explicit commits, connection"
            + " checkouts):");
    long driverStatements = 0;
    double[] total = new double[SqlCounter.KINDS.length];
    for (Map.Entry<String, long[]> stage : after.entrySet()) {
      long[] was = before.getOrDefault(stage.getKey(), new long[SqlCounter.KINDS.length]);
      long[] now = stage.getValue();
      if (stage.getKey().equals("benchmark driver")) {
        driverStatements = now[0] - was[0];
        continue;
      }
      double[] per = new double[now.length];
      for (int i = 0; i < now.length; i++) {
        per[i] = (now[i] - was[i]) / (double) messages;
        total[i] += per[i];
      }
      System.out.printf(
          Locale.ROOT,
          "  %-18s %6.2f statements %6.2f commits %6.2f connections%n",
          stage.getKey(),
          per[0],
          per[1],
          per[2]);
    }
    System.out.printf(
        Locale.ROOT,
        "  %-18s %6.2f statements %6.2f commits %6.2f connections%n",
        "gateway total",
        total[0],
        total[1],
        total[2]);
    if (serverAfter.isEmpty() || serverBefore.isEmpty()) {
      return;
    }
    System.out.println(
        "PostgreSQL per message (pg_stat_database, pg_stat_wal; without the benchmark's own"
            + " polling):");
    for (String counter : PostgresStats.COUNTERS) {
      double delta = serverAfter.get(counter) - serverBefore.get(counter);
      if (counter.equals("xact_commit")) {
        // each poll of the driver and the second reading are one transaction each
        delta -= driverStatements + 3;
      }
      if (counter.equals("wal_bytes")) {
        System.out.printf(Locale.ROOT, "  %-18s %8.1f KB%n", counter, delta / 1024 / messages);
      } else {
        System.out.printf(Locale.ROOT, "  %-18s %8.2f%n", counter, delta / messages);
      }
    }
  }

  // Counted from the gateway's start: the start-up's statements are few against N messages.
  /** The tables the server read rows from per message, most rows first (the top eight). */
  private static void printTables(
      Map<String, long[]> before, Map<String, long[]> after, int messages) {
    if (before.isEmpty() || after.isEmpty()) {
      return;
    }
    record Reads(String table, double[] perMessage) {
      double rows() {
        return perMessage[1] + perMessage[3];
      }
    }
    List<Reads> reads = new ArrayList<>();
    after.forEach(
        (table, now) -> {
          long[] was = before.getOrDefault(table, new long[now.length]);
          double[] delta = new double[now.length];
          for (int i = 0; i < now.length; i++) {
            delta[i] = (now[i] - was[i]) / (double) messages;
          }
          reads.add(new Reads(table, delta));
        });
    reads.sort(Comparator.comparingDouble(Reads::rows).reversed());
    System.out.println(
        "PostgreSQL reads per message by table (pg_stat_all_tables; the benchmark's polling"
            + " included):");
    System.out.printf(
        Locale.ROOT,
        "  %-34s %9s %12s %9s %13s%n",
        "table",
        "seq scans",
        "rows scanned",
        "idx scans",
        "rows by index");
    for (Reads r : reads.subList(0, Math.min(8, reads.size()))) {
      double[] d = r.perMessage();
      System.out.printf(
          Locale.ROOT, "  %-34s %9.2f %12.2f %9.2f %13.2f%n", r.table(), d[0], d[1], d[2], d[3]);
    }
  }

  private static void printStatements(SqlCounter sql, int messages) {
    System.out.println("Most frequent statements (per message, by stage, since start-up):");
    sql.statements().entrySet().stream()
        .filter(e -> !e.getKey().startsWith("benchmark driver"))
        .limit(25)
        .forEach(
            e ->
                System.out.printf(
                    Locale.ROOT, "  %5.2f  %s%n", e.getValue() / (double) messages, e.getKey()));
  }

  private static long count(Journal journal, MessageState state) {
    return journal.count(new JournalQuery(state, null, null, null, null, 0, 1));
  }

  /**
   * Command line: --records=N --mappings=DIR --packages=DIR --timeout-minutes=M
   * --mode=fast|reference --rate=R (records dropped per second, paced; 0 = all at once)
   * --file-poll-delay=50ms --file-stable-after=5s (the inbox settings) --warmup=N (N records of
   * their own through the pipeline before the measured ones, unmeasured: the JIT's first
   * compilations of the pipeline's paths are then outside the CPU per message; 0 by default)
   * --jit-detail (what the JIT compiled while the measured records went through, from JFR)
   * --keep-data (leave the run's data folder, journal and postbox, for a look afterwards; removed
   * by default) --summary=FILE (the run's figures by name, as a properties file: {@link
   * TargetsBenchmark} reads them).
   */
  record Options(
      int records,
      Path mappings,
      Path packages,
      Duration timeout,
      String mode,
      double rate,
      String pollDelay,
      String stableAfter,
      int warmup,
      boolean jitDetail,
      boolean keepData,
      Path summary) {
    static Options parse(String[] args) throws IOException {
      int records = 10_000;
      Path mappings = Path.of("mappings").toAbsolutePath();
      Path packages = null;
      Duration timeout = Duration.ofMinutes(30);
      String mode = "fast";
      double rate = 0;
      String pollDelay = "50ms";
      // The gateway's default: an inbox file is read once unchanged for 5 s (writers that do not
      // rename). Writers that rename (the benchmark does) allow a few milliseconds.
      String stableAfter = "5s";
      int warmup = 0;
      boolean jitDetail = false;
      boolean keepData = false;
      Path summary = null;
      for (String arg : args) {
        String value = arg.substring(arg.indexOf('=') + 1);
        if (arg.startsWith("--records=")) {
          records = Integer.parseInt(value);
        } else if (arg.startsWith("--mappings=")) {
          mappings = Path.of(value).toAbsolutePath();
        } else if (arg.startsWith("--packages=")) {
          packages = Path.of(value).toAbsolutePath();
        } else if (arg.startsWith("--rate=")) {
          rate = Double.parseDouble(value);
        } else if (arg.startsWith("--file-poll-delay=")) {
          pollDelay = value;
        } else if (arg.startsWith("--file-stable-after=")) {
          stableAfter = value;
        } else if (arg.startsWith("--warmup=")) {
          warmup = Integer.parseInt(value);
        } else if (arg.equals("--jit-detail")) {
          jitDetail = true;
        } else if (arg.equals("--keep-data")) {
          keepData = true;
        } else if (arg.startsWith("--summary=")) {
          summary = Path.of(value).toAbsolutePath();
        } else if (arg.startsWith("--mode=")) {
          mode = value;
        } else if (arg.startsWith("--timeout-minutes=")) {
          timeout = Duration.ofMinutes(Long.parseLong(value));
        } else {
          throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (!Files.isDirectory(mappings)) {
        throw new IOException(
            "run from the repository root or pass --mappings=DIR (not found: " + mappings + ")");
      }
      return new Options(
          records,
          mappings,
          packages,
          timeout,
          mode,
          rate,
          pollDelay,
          stableAfter,
          warmup,
          jitDetail,
          keepData,
          summary);
    }
  }
}
