package dk.sektorbro.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 14's report in one run, on one machine: the fast pipeline in its steady state beside the
 * build+encode floor, the reference pipeline, the latency at half the fast flow, the peak heap of
 * 10,000 records at 512 MB, validation CPU per message and the time to ready, then one table of
 * target, measured and met. Each measurement runs in a JVM of its own, as its program runs alone
 * (one run's heap, JIT and database do not colour the next); their output and figures are kept in
 * {@code --out=DIR} (a new temporary folder by default). The time to ready is judged as production
 * starts: the release archive ({@code --archive=FILE}, by default the one the build left in {@code
 * distribution/target}) unpacked, its class data sharing archive made ({@code bin/sektorbro cds})
 * and restarted through {@code bin/sektorbro}; without an archive, on the nested jar. About 15
 * minutes on 2 cores; run it on an otherwise idle machine. {@code --quick} runs every step with few
 * records, to try the command, not to measure. Exits with 1 when a target is not met.
 *
 * <p>{@code java -Dloader.main=dk.sektorbro.benchmarks.TargetsBenchmark -cp
 * benchmarks/target/sektorbro-benchmarks.jar
 * org.springframework.boot.loader.launch.PropertiesLauncher --packages=../shared/medcom/packages}
 */
public final class TargetsBenchmark {

  private static final String LAUNCHER =
      "org.springframework.boot.loader.launch.PropertiesLauncher";

  public static void main(String[] args) throws Exception {
    Path packages = null;
    Path mappings = Path.of("mappings").toAbsolutePath();
    Path out = null;
    Path archive = newestReleaseArchive();
    boolean quick = false;
    for (String arg : args) {
      String value = arg.substring(arg.indexOf('=') + 1);
      if (arg.startsWith("--packages=")) {
        packages = Path.of(value).toAbsolutePath();
      } else if (arg.startsWith("--mappings=")) {
        mappings = Path.of(value).toAbsolutePath();
      } else if (arg.startsWith("--out=")) {
        out = Path.of(value).toAbsolutePath();
      } else if (arg.startsWith("--archive=")) {
        archive = Path.of(value).toAbsolutePath();
      } else if (arg.equals("--quick")) {
        quick = true;
      } else {
        throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    if (packages == null || !Files.isDirectory(packages)) {
      throw new IllegalArgumentException(
          "--packages=DIR (the official MedCom packages) is required: the targets are for full"
              + " MedCom validation");
    }
    if (!Files.isDirectory(mappings)) {
      throw new IOException(
          "run from the repository root or pass --mappings=DIR (not found: " + mappings + ")");
    }
    out =
        out != null
            ? Files.createDirectories(out)
            : Files.createTempDirectory("sektorbro-targets-");
    TargetsBenchmark run = new TargetsBenchmark(packages, mappings, out);
    System.out.printf(
        Locale.ROOT,
        "Sektorbro targets (issue 14): %d cores, %s; logs and figures in %s%n",
        Runtime.getRuntime().availableProcessors(),
        quick ? "--quick (too few records to measure)" : "full runs",
        out);

    Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
    int warmup = quick ? 200 : 15_000;
    runs.put(
        "fast",
        run.pipeline("fast", "1g", "--mode=fast", records(quick, 2000), "--warmup=" + warmup));
    runs.put(
        "reference",
        run.pipeline(
            "reference",
            "1g",
            "--mode=reference",
            records(quick, 300),
            "--warmup=" + (quick ? 20 : 300)));
    double halfFlow = Math.max(1, Math.floor(runs.get("fast").get("flow_per_second") / 2));
    runs.put(
        "paced",
        run.pipeline(
            "paced",
            "1g",
            "--mode=fast",
            "--rate=" + halfFlow,
            records(quick, 4000),
            "--warmup=" + warmup,
            // the benchmark's writer renames its files: no need to wait for them to settle
            "--file-stable-after=10ms"));
    runs.put("heap", run.pipeline("heap", "512m", "--mode=fast", records(quick, 10_000)));
    runs.put(
        "validation",
        run.child("validation", "1g", ValidationBenchmark.class, List.of(records(quick, 2000))));
    List<String> ready = new ArrayList<>(List.of("--runs=" + (quick ? 1 : 3)));
    if (archive != null) {
      // As production starts: the installed release, its class data sharing archive made by
      // bin/sektorbro cds, restarts on one data folder (beside each, the nested jar's start).
      ready.addAll(List.of("--restart", "--home=" + run.install(archive)));
    }
    runs.put("ready", run.child("ready", "256m", ReadyBenchmark.class, ready));

    List<Targets.Row> rows = Targets.judge(runs);
    System.out.println();
    System.out.printf(Locale.ROOT, "%-62s %-10s %-44s %s%n", "figure", "target", "measured", "");
    for (Targets.Row row : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-62s %-10s %-44s %s%n",
          row.figure(),
          row.target(),
          row.measured(),
          row.verdict());
    }
    boolean allMet = rows.stream().allMatch(r -> r.met() == null || r.met());
    System.exit(allMet ? 0 : 1);
  }

  private final Path packages;
  private final Path mappings;
  private final Path out;

  private TargetsBenchmark(Path packages, Path mappings, Path out) {
    this.packages = packages;
    this.mappings = mappings;
    this.out = out;
  }

  /** The release archive the build left (distribution/target), or null. */
  private static Path newestReleaseArchive() throws IOException {
    Path target = Path.of("distribution", "target");
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (var files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().matches("sektorbro-.*\\.tar\\.gz"))
          .max(Comparator.comparingLong(f -> f.toFile().lastModified()))
          .map(Path::toAbsolutePath)
          .orElse(null);
    }
  }

  /**
   * Unpacks the release archive into {@code <out>/home} and makes its class data sharing archive.
   */
  private Path install(Path archive) throws IOException, InterruptedException {
    Path home = Files.createDirectories(out.resolve("home"));
    System.out.printf(Locale.ROOT, "%-10s %s, then bin/sektorbro cds%n", "install", archive);
    run(
        List.of("tar", "-xzf", archive.toString(), "-C", home.toString(), "--strip-components=1"),
        Map.of(),
        out.resolve("install.log"));
    run(
        List.of(home.resolve("bin/sektorbro").toString(), "cds"),
        Map.of(
            "JAVA_HOME", System.getProperty("java.home"),
            "JAVA_OPTS", "-Xmx1g",
            "GATEWAY_CONFORMANCE_PACKAGE_DIR", packages.toString()),
        out.resolve("install.log"));
    return home;
  }

  private static void run(List<String> command, Map<String, String> environment, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    int exit = builder.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException(command.get(0) + " failed (exit " + exit + "): see " + log);
    }
  }

  private static String records(boolean quick, int records) {
    return "--records=" + (quick ? Math.max(50, records / 40) : records);
  }

  private Map<String, Double> pipeline(String name, String heap, String... options)
      throws IOException, InterruptedException {
    return child(name, heap, PipelineBenchmark.class, List.of(options));
  }

  /**
   * Runs {@code main} of this jar in a new JVM with {@code -Xmx<heap>}, its output in {@code
   * <name>.log}, and returns the figures it wrote to {@code <name>.properties}.
   */
  private Map<String, Double> child(String name, String heap, Class<?> main, List<String> options)
      throws IOException, InterruptedException {
    Path log = out.resolve(name + ".log");
    Path figures = out.resolve(name + ".properties");
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + heap,
                "-Dloader.main=" + main.getName(),
                "-cp",
                System.getProperty("java.class.path"),
                LAUNCHER));
    command.addAll(options);
    command.add("--mappings=" + mappings);
    command.add("--packages=" + packages);
    command.add("--summary=" + figures);
    long start = System.nanoTime();
    System.out.printf(
        Locale.ROOT, "%-10s %s -Xmx%s %s%n", name, main.getSimpleName(), heap, options);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    System.out.printf(
        Locale.ROOT,
        "%-10s finished in %.0f s, exit %d (output: %s)%n",
        name,
        (System.nanoTime() - start) / 1e9,
        exit,
        log);
    if (exit != 0 || !Files.exists(figures)) {
      throw new IllegalStateException(
          "the " + name + " run failed (exit " + exit + "): see " + log);
    }
    return Summary.read(figures);
  }
}
