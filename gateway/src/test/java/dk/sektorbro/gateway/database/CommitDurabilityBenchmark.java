package dk.sektorbro.gateway.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: what a forced commit costs. Commits small journal-like rows one per transaction (as
 * intake does) on the gateway's embedded PostgreSQL (fsync and synchronous_commit on), on zonky's
 * test defaults (both off) and on the H2 file database the gateway used before, and prints the
 * commit latency. A commit faster than the disk's fsync cannot have been forced to disk. Command
 * and numbers: docs/cluster.md.
 */
public final class CommitDurabilityBenchmark {

  private static final String TABLE =
      "CREATE TABLE bench (id VARCHAR(36) PRIMARY KEY, state VARCHAR(30),"
          + " payload BYTEA, at TIMESTAMP WITH TIME ZONE)";

  public static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    Path dir = Files.createTempDirectory("commit-benchmark-");
    try (EmbeddedPostgresServer gateway =
        EmbeddedPostgresServer.start(
            dir.resolve("gateway"), new EmbeddedDatabaseProperties(0, Duration.ofMinutes(2)))) {
      run(
          "embedded PostgreSQL, gateway settings (fsync on)",
          () -> DriverManager.getConnection(gateway.jdbcUrl(), "postgres", ""),
          commits);
    }
    try (EmbeddedPostgres zonky = EmbeddedPostgres.start()) {
      run(
          "embedded PostgreSQL, zonky test defaults (fsync off)",
          () -> zonky.getPostgresDatabase().getConnection(),
          commits);
    }
    String h2 =
        "jdbc:h2:file:" + dir.resolve("h2/journal") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    run(
        "H2 2.3 file database (the former default)",
        () -> DriverManager.getConnection(h2, "sa", ""),
        commits);
  }

  interface Connector {
    Connection connect() throws SQLException;
  }

  private static void run(String name, Connector connector, int commits) throws Exception {
    try (Connection c = connector.connect();
        Statement s = c.createStatement()) {
      s.execute(TABLE);
    }
    for (int threads : new int[] {1, 4}) {
      List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  try (Connection c = connector.connect();
                      PreparedStatement insert =
                          c.prepareStatement(
                              "INSERT INTO bench VALUES (?, 'RECEIVED', ?, now())")) {
                    c.setAutoCommit(false);
                    for (int i = 0; i < commits / threads; i++) {
                      long t0 = System.nanoTime();
                      insert.setString(1, UUID.randomUUID().toString());
                      insert.setBytes(2, new byte[2048]);
                      insert.executeUpdate();
                      c.commit();
                      nanos.add(System.nanoTime() - t0);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      List<Long> sorted = new ArrayList<>(nanos);
      Collections.sort(sorted);
      System.out.printf(
          "%-55s threads=%d commits=%d  %.0f commits/s  p50=%.2f ms  p99=%.2f ms%n",
          name,
          threads,
          sorted.size(),
          sorted.size() / seconds,
          sorted.get(sorted.size() / 2) / 1e6,
          sorted.get((int) (sorted.size() * 0.99)) / 1e6);
    }
  }
}
