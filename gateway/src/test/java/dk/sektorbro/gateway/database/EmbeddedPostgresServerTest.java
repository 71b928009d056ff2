package dk.sektorbro.gateway.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default database on real PostgreSQL processes, including what a kill leaves behind.
 */
// Starts and restarts PostgreSQL servers of its own: runs in verify, not in ./mvnw test.
@Tag("integration")
class EmbeddedPostgresServerTest {

  private static final EmbeddedDatabaseProperties PROPERTIES =
      new EmbeddedDatabaseProperties(0, Duration.ofSeconds(60));

  @TempDir Path dataDir;

  @Test
  void commitsAreForcedToDisk_andTheDataFolderIsKeptAcrossRestarts() throws Exception {
    ProcessHandle postmaster;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, PROPERTIES)) {
      assertThat(show(server, "fsync")).isEqualTo("on");
      assertThat(show(server, "synchronous_commit")).isEqualTo("on");
      assertThat(show(server, "full_page_writes")).isEqualTo("on");
      execute(server, "CREATE TABLE kept (id INT)", "INSERT INTO kept VALUES (1)");
      postmaster = postmaster();
    }
    assertEnded(postmaster);
    assertThat(dataDir.resolve("db/postgres/postmaster.pid")).doesNotExist();
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, PROPERTIES)) {
      assertThat(query(server, "SELECT id FROM kept")).containsExactly("1");
    }
  }

  @Test
  void afterThePostmasterWasKilled_itsStalePidFileIsCleared_andCommittedRowsAreRecovered()
      throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, PROPERTIES);
    execute(server, "CREATE TABLE kept (id INT)", "INSERT INTO kept VALUES (1)");
    // The gateway's JVM dies too, its watchdog with it: nothing starts the server again before
    // the next start (without this, a watchdog tick between the kill and close() restarted it, and
    // close() then stopped it cleanly: no stale pid file left; seen once in .ci/run).
    server.stopWatching();
    Path pidFile = dataDir.resolve("db/postgres/postmaster.pid");
    long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
    List<ProcessHandle> all = new ArrayList<>(handle.descendants().toList());
    all.add(handle);
    all.forEach(
        ProcessHandle::destroyForcibly); // kill -9, as when the machine's processes die at once
    for (ProcessHandle process : all) {
      process.onExit().join();
    }
    server.close(); // releases the folder lock; its pg_ctl stop finds nothing to stop
    // The dead postmaster's id now belongs to a live process that is not PostgreSQL.
    List<String> lines = new ArrayList<>(Files.readAllLines(pidFile));
    lines.set(0, Long.toString(ProcessHandle.current().pid()));
    Files.write(pidFile, lines, StandardCharsets.US_ASCII);

    try (EmbeddedPostgresServer restarted = EmbeddedPostgresServer.start(dataDir, PROPERTIES)) {
      assertThat(query(restarted, "SELECT id FROM kept")).containsExactly("1");
    }
  }

  /**
   * PostgreSQL dies under a running gateway (the out-of-memory killer, an operator's kill -9): the
   * gateway is not restarted, so the server must come back by itself, on the port the gateway's
   * connection pool knows, with what was committed.
   */
  @Test
  void aPostmasterKilledWhileTheGatewayRuns_isStartedAgainOnItsPort_withItsData() throws Exception {
    ProcessHandle restarted;
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, PROPERTIES)) {
      execute(server, "CREATE TABLE kept (id INT)", "INSERT INTO kept VALUES (1)");
      Path pidFile = dataDir.resolve("db/postgres/postmaster.pid");
      long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      ProcessHandle handle = ProcessHandle.of(postmaster).orElseThrow();
      List<ProcessHandle> all = new ArrayList<>(handle.descendants().toList());
      all.add(handle);
      all.forEach(ProcessHandle::destroyForcibly);
      for (ProcessHandle process : all) {
        process.onExit().join();
      }
      assertThatThrownBy(() -> query(server, "SELECT 1")).isInstanceOf(SQLException.class);

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .untilAsserted(
              () -> assertThat(query(server, "SELECT id FROM kept")).containsExactly("1"));
      long again = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      assertThat(again).isNotEqualTo(postmaster);
      restarted = ProcessHandle.of(again).orElseThrow();
    }
    assertEnded(restarted);
    assertThat(dataDir.resolve("db/postgres/postmaster.pid"))
        .as("the restarted server stopped with the gateway")
        .doesNotExist();
  }

  private ProcessHandle postmaster() throws IOException {
    Path pidFile = dataDir.resolve("db/postgres/postmaster.pid");
    return ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
        .orElseThrow();
  }

  // close() asks PostgreSQL to stop and waits up to 5 s (zonky's pg_ctl stop -t 5): a shutdown
  // slower than that on a loaded machine (its checkpoint forced to disk) ends after close()
  // returned, its pid file still there until then. What is left behind is checked once it ended.
  private static void assertEnded(ProcessHandle postmaster) {
    assertThat(postmaster.onExit())
        .as("PostgreSQL (pid %d) ended after close()", postmaster.pid())
        .succeedsWithin(Duration.ofMinutes(2));
  }

  /**
   * A shutdown slower than pg_ctl's 5 s wait (here: a backend held by SIGSTOP, which the postmaster
   * waits for): close() returns only once PostgreSQL has ended, so a service manager that kills
   * what is left after the gateway's process ended cannot cut PostgreSQL's shutdown short. It
   * returned after 5 s with the postmaster alive.
   */
  @Test
  void aShutdownSlowerThanPgCtlsWait_closeReturnsOnlyOncePostgresEnded() throws Exception {
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, PROPERTIES);
    ProcessHandle postmaster = postmaster();
    Connection held = connect(server);
    long backend;
    try (Statement s = held.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      backend = rs.getLong(1);
    }
    signal("STOP", backend);
    Thread resume =
        new Thread(
            () -> {
              try {
                Thread.sleep(8_000);
                signal("CONT", backend);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    resume.start();
    try {
      server.close();
      assertThat(postmaster.isAlive())
          .as("PostgreSQL still running when close() returned")
          .isFalse();
      assertThat(dataDir.resolve("db/postgres/postmaster.pid")).doesNotExist();
    } finally {
      resume.join();
      signal("CONT", backend);
      try {
        held.close();
      } catch (SQLException ended) {
        // the backend was ended by the shutdown
      }
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    kill.waitFor();
  }

  @Test
  void aSecondGatewayOnTheSameDataFolder_isRefused() throws Exception {
    try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, PROPERTIES)) {
      // The lock is per process, so a second JVM is refused by tryLock; within one JVM Java says so
      // itself.
      assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, PROPERTIES))
          .isInstanceOf(RuntimeException.class);
      assertThat(query(server, "SELECT 1")).containsExactly("1");
    }
  }

  @Test
  void anOldH2Journal_isNotSilentlyReplacedByAnEmptyDatabase() throws Exception {
    Files.createDirectories(dataDir.resolve("db"));
    Files.write(dataDir.resolve("db/journal.mv.db"), new byte[] {1});
    assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, PROPERTIES))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("H2 journal");
  }

  private static String show(EmbeddedPostgresServer server, String setting) throws SQLException {
    return query(server, "SHOW " + setting).get(0);
  }

  private static void execute(EmbeddedPostgresServer server, String... statements)
      throws SQLException {
    try (Connection c = connect(server);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static List<String> query(EmbeddedPostgresServer server, String sql) throws SQLException {
    try (Connection c = connect(server);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), EmbeddedPostgresServer.USER, "");
  }
}
