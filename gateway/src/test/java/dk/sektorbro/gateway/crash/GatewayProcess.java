package dk.sektorbro.gateway.crash;

import dk.sektorbro.gateway.support.CheapPasswords;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.TestFiles;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway as a separate JVM (the build's classes and classpath), so a test can kill it the
 * way an operating system does: SIGKILL, no shutdown hooks, no flushing.
 */
final class GatewayProcess {

  static final String ADMIN_PASSWORD = "kill-admin-pw-1";
  static final String INTAKE_PASSWORD = "kill-intake-pw-1";
  static final String OPERATOR_PASSWORD = "kill-operator-pw-1";

  private final String name;
  private final Path dataDir;
  private final int httpPort;
  private final List<String> arguments;
  private final Path log;
  private List<String> jvmOptions = List.of("-Xmx768m");
  private Path mappingsDir = TestFiles.MAPPINGS;
  private boolean officialPackages = true;
  private Process process;
  private List<String> sharing = List.of();
  private Duration cpuAtReady;

  GatewayProcess(String name, Path dataDir, int httpPort, Path logDir, List<String> arguments) {
    this.name = name;
    this.dataDir = dataDir;
    this.httpPort = httpPort;
    this.arguments = arguments;
    this.log = logDir.resolve(name + ".log");
  }

  /** JVM options instead of the default {@code -Xmx768m} (e.g. a smaller heap). */
  GatewayProcess jvmOptions(String... options) {
    this.jvmOptions = List.of(options);
    return this;
  }

  /** Another mappings folder than the repository's. */
  GatewayProcess mappings(Path folder) {
    this.mappingsDir = folder;
    return this;
  }

  /** Base R4 and the repository's profiles only: starts in seconds instead of a minute. */
  GatewayProcess withoutOfficialPackages() {
    this.officialPackages = false;
    return this;
  }

  /** Starts the JVM and waits until its API answers. */
  GatewayProcess start(Duration timeout) {
    launch();
    if (!awaitUpOrExit(timeout)) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + " during start; see " + log);
    }
    return this;
  }

  /** Starts the JVM without waiting for it. */
  GatewayProcess launch() {
    cpuAtReady = null;
    List<String> command = new ArrayList<>(niceness());
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    sharing = ChildClassSharing.get().options();
    command.addAll(sharing);
    command.addAll(
        List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            ChildClassSharing.get().classPath(),
            "dk.sektorbro.gateway.GatewayApplication",
            "--server.port=" + httpPort,
            "--gateway.data-dir=" + dataDir,
            "--gateway.mappings-dir=" + mappingsDir,
            "--gateway.addressing.bootstrap-file="
                + TestFiles.REPO.resolve("registry/synthetic-sor.xml"),
            "--gateway.intake.file-poll-delay=100ms",
            // The workload renames complete files into the inbox: 1 s of stability, as in the
            // shared test application, instead of the default 5 s before each file is read.
            "--gateway.intake.file-stable-after=1s",
            "--gateway.delivery.format=JSON",
            // Only the CareCommunication chain is warmed up at start, the others when a message
            // needs them: the workloads send CareCommunications only, and each of the 13 starts
            // spent about 2 s of CPU (7-19 s of wall time side by side) warming up four chains
            // nobody used.
            "--gateway.conformance.warm-up=on-demand",
            "--gateway.conformance.profiles-dir=" + TestFiles.REPO.resolve("profiles"),
            "--GATEWAY_ADMIN_PASSWORD=" + ADMIN_PASSWORD,
            "--GATEWAY_INTAKE_PASSWORD=" + INTAKE_PASSWORD,
            "--GATEWAY_OPERATOR_PASSWORD=" + OPERATOR_PASSWORD,
            // BCrypt at cost 4, as in every other test application (support/CheapPasswords, same
            // encoder and {bcrypt} format), added to the application's sources: each start hashed
            // and checked the password of every user that signed in (operator, intake, admin) at
            // the production cost 10, about 0.3 s of CPU each with the children's C1-only JIT.
            "--spring.main.sources=" + CheapPasswords.class.getName()));
    if (officialPackages) {
      // Validated against the official MedCom packages, as in production.
      command.add("--gateway.conformance.package-dir=" + MedComChains.PACKAGES);
    }
    String suiteCache = System.getProperty("gateway.conformance.cache-dir");
    if (suiteCache != null) {
      // The suite's one conformance cache (root pom), which the tests before have filled: without
      // it each test's first start parsed R4 core and the packages again into its own data folder
      // (17 s of a 40 s start in CI). Shared safely: a cache file is written to a temporary file
      // and moved into place, and read only under the key of its content (ConformanceCache).
      command.add("--gateway.conformance.cache-dir=" + Path.of(suiteCache).toAbsolutePath());
    }
    command.addAll(arguments);
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  // In verify the kill tests run beside the integration tier's classes (gateway/pom.xml), which
  // leave about 40 % of the two cores idle while they wait: the children, where the kill tests'
  // CPU goes, take what the tier leaves instead of competing with it. nice(1) execs the JVM, so
  // the process started is the child itself (its pid, its kill -9).
  private static List<String> niceness() {
    String nice = System.getProperty("kill.children.nice");
    Path command = Path.of("/usr/bin/nice");
    return nice == null || nice.isBlank() || !Files.isExecutable(command)
        ? List.of()
        : List.of(command.toString(), "-n", nice.strip());
  }

  /**
   * A process the test started itself that belongs with the children (a PostgreSQL server of a
   * test's own): given the children's priority, with the processes it has forked so far (those it
   * forks later inherit it). Nothing when the children are not niced.
   */
  static void niceLikeTheChildren(ProcessHandle process) {
    List<String> nice = niceness();
    Path renice = Path.of("/usr/bin/renice");
    if (nice.isEmpty() || !Files.isExecutable(renice)) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(renice.toString(), "-n", nice.get(2), "-p"));
    command.add(String.valueOf(process.pid()));
    process.descendants().forEach(p -> command.add(String.valueOf(p.pid())));
    try {
      // Best effort: a process that ended meanwhile makes renice exit non-zero, and changes no
      // outcome (only who gets the CPU first).
      new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * True once the API answers; false when the JVM exited first (its exit code: {@link
   * #exitCode()}).
   */
  boolean awaitUpOrExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        ChildClassSharing.get().notReady(sharing);
        return false;
      }
      try {
        if (operator().get("/api/v1/messages?size=1").status() == 200) {
          cpuAtReady = cpu();
          ChildClassSharing.get().ready(sharing);
          return true;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      sleep(250);
    }
    ChildClassSharing.get().notReady(sharing);
    throw new IllegalStateException(name + " did not start within " + timeout + "; see " + log);
  }

  /** Waits for the JVM to exit by itself and returns its exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " still running after " + timeout + "; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  int exitCode() {
    return process.exitValue();
  }

  /** kill -9 of the gateway's JVM only: its PostgreSQL, a separate process, is left orphaned. */
  void killJvm() {
    noteCpu("killed");
    process.destroyForcibly();
    waitForExit(process.toHandle());
  }

  /**
   * kill -9 of the JVM and of every PostgreSQL process of its data folder, as in a crash of the
   * host's processes.
   */
  void killJvmAndDatabase() {
    List<ProcessHandle> postgres = postgresProcesses();
    noteCpu("killed with its database");
    process.destroyForcibly();
    postgres.forEach(ProcessHandle::destroyForcibly);
    waitForExit(process.toHandle());
    postgres.forEach(GatewayProcess::waitForExit);
  }

  /**
   * SIGSTOP ({@code pause}) or SIGCONT: the JVM stands still and goes on, as in a long GC pause, a
   * suspended VM or a network stall; its database sessions stay open meanwhile.
   */
  void pause(boolean pause) {
    try {
      int exit =
          new ProcessBuilder("kill", pause ? "-STOP" : "-CONT", String.valueOf(process.pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill " + (pause ? "-STOP" : "-CONT") + " exited " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM: the orderly shutdown an operator's service manager does. */
  int stop() {
    noteCpu("stopped");
    process.destroy();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not stop within 120 s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** After a failed test: nothing of this node may outlive it. */
  void destroy() {
    if (process != null) {
      killJvmAndDatabase();
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  GatewayClient intake() {
    return new GatewayClient(base(), "intake", INTAKE_PASSWORD);
  }

  GatewayClient admin() {
    return new GatewayClient(base(), "admin", ADMIN_PASSWORD);
  }

  GatewayClient operator() {
    return new GatewayClient(base(), "operator", OPERATOR_PASSWORD);
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  /** The node's HTTP address, for a request the clients above do not make. */
  String baseUrl() {
    return base();
  }

  private String base() {
    return "http://localhost:" + httpPort;
  }

  private Duration cpu() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  // Where a child's time goes (docs/cluster.md): its CPU to ready and over its life, written into
  // its log (the JVM is gone a moment later, and /proc with it).
  private void noteCpu(String end) {
    if (!process.isAlive()) {
      return;
    }
    String line =
        String.format(
            "[kill test] %s pid=%d %s: cpu to ready %s s, cpu in all %.1f s, lived %d s%s%n",
            name,
            process.pid(),
            end,
            cpuAtReady == null ? "-" : String.format("%.1f", cpuAtReady.toMillis() / 1000.0),
            cpu().toMillis() / 1000.0,
            process
                .info()
                .startInstant()
                .map(t -> Duration.between(t, Instant.now()).toSeconds())
                .orElse(-1L),
            sharing.isEmpty()
                ? ""
                : sharing.get(0).startsWith("-XX:SharedArchiveFile")
                    ? ", class data sharing archive"
                    : ", listing classes for the archive");
    try {
      Files.writeString(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the note is for reading afterwards; a failed write changes no outcome
    }
  }

  private List<ProcessHandle> postgresProcesses() {
    Path pidFile = dataDir.resolve("db/postgres/postmaster.pid");
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid)
          .map(
              postmaster -> {
                List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
                all.add(0, postmaster);
                return all;
              })
          .orElse(List.of());
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static void waitForExit(ProcessHandle handle) {
    try {
      handle.onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("process " + handle.pid() + " did not die", e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
