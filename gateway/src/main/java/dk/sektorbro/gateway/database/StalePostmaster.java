package dk.sektorbro.gateway.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a killed gateway leaves in its database folder. PostgreSQL runs as its own process, so after
 * kill -9 of the gateway either the postmaster is still running (orphaned), or it was killed too
 * and its {@code postmaster.pid} is stale. A stale file whose process id now belongs to some other
 * process makes PostgreSQL refuse to start (it cannot tell the process is not a postmaster, the
 * more so inside zonky's user namespace), so it is removed. Only called while the gateway holds the
 * data folder's lock, so no live gateway is using this postmaster.
 */
final class StalePostmaster {

  private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  private StalePostmaster() {}

  static void clear(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    Optional<Long> pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process =
        pid.get() > 0
            ? ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive)
            : Optional.empty();
    if (process.isPresent() && isPostmasterOf(pid.get(), pgData)) {
      log.warn(
          "stopping the embedded PostgreSQL (pid {}) a previous gateway process left running",
          pid.get());
      stop(process.get());
    }
    if (Files.deleteIfExists(pidFile)) {
      log.info(
          "removed the stale postmaster.pid of pid {}; PostgreSQL recovers from its write-ahead log",
          pid.get());
    }
  }

  // SIGTERM: PostgreSQL's smart shutdown. Its clients died with the gateway, so it ends after a
  // checkpoint. Should it hang, SIGKILL: the next start is then a crash recovery, which is safe.
  private static void stop(ProcessHandle postmaster) throws IOException {
    postmaster.destroy();
    try {
      postmaster.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.warn("the old postmaster did not stop within {}; killing it", STOP_WAIT);
      postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
      postmaster.destroyForcibly();
      waitFor(postmaster);
    } catch (ExecutionException e) {
      throw new IOException("could not stop the old postmaster", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the old postmaster", e);
    }
  }

  private static void waitFor(ProcessHandle process) throws IOException {
    try {
      process.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the old postmaster (pid " + process.pid() + ") does not stop", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the old postmaster", e);
    }
  }

  private static Optional<Long> readPid(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    String first =
        Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream()
            .findFirst()
            .orElse("")
            .trim();
    try {
      return Optional.of(Long.parseLong(first));
    } catch (NumberFormatException e) {
      return Optional.of(-1L); // half-written by a killed postmaster: stale
    }
  }

  // The process's command line names postgres and this data folder (Linux /proc).
  private static boolean isPostmasterOf(long pid, Path pgData) {
    try {
      String commandLine =
          new String(
                  Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                  StandardCharsets.UTF_8)
              .replace('\0', ' ');
      return commandLine.contains("postgres") && commandLine.contains(pgData.toString());
    } catch (IOException e) {
      return false;
    }
  }
}
