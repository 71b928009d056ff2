package dk.sektorbro.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What the embedded PostgreSQL server does for the gateway, which the JVM's CPU figures do not see:
 * the CPU time of the postmaster and its children (backends, WAL writer, checkpointer) from {@code
 * /proc}, and the server's own counters: transactions committed, rows read and written
 * (pg_stat_database) and write-ahead log records, writes and fsyncs (pg_stat_wal).
 */
final class PostgresStats {

  /** Linux reports process times in clock ticks of 1/100 s on every platform it runs on here. */
  private static final double TICK_MILLIS = 10.0;

  static final List<String> COUNTERS =
      List.of(
          "xact_commit",
          "tup_fetched",
          "tup_inserted",
          "tup_updated",
          "tup_deleted",
          "wal_records",
          "wal_sync",
          "wal_bytes");

  /**
   * Per table (toast tables included): sequential scans, rows they read, index scans, rows fetched.
   */
  static final List<String> TABLE_COUNTERS =
      List.of("seq_scan", "seq_tup_read", "idx_scan", "idx_tup_fetch");

  private PostgresStats() {}

  /** CPU milliseconds of the server process tree under {@code pgData}; -1 if not on Linux. */
  static double cpuMillis(Path pgData) {
    Map<String, Double> byProcess = cpuByProcess(pgData);
    return byProcess.isEmpty()
        ? -1
        : byProcess.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /**
   * The same CPU time by kind of process, from the title PostgreSQL gives each one ("postgres:
   * walwriter", "postgres: autovacuum worker", a backend's "postgres: user db host state"): whether
   * the server's time goes to the statements (backends) or to work behind them (the write-ahead
   * log, checkpoints, vacuum). Processes that ended (autovacuum workers, closed connections) are
   * only in the postmaster's reaped-children time: "postmaster and ended processes". Empty if not
   * on Linux.
   */
  static Map<String, Double> cpuByProcess(Path pgData) {
    Map<String, Double> byKind = new TreeMap<>();
    try {
      long postmaster =
          Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
      long[] own = stat(Path.of("/proc", Long.toString(postmaster), "stat"));
      // utime + stime, and cutime + cstime: backends that ended were reaped by the postmaster.
      byKind.put(
          "postmaster and ended processes", (own[1] + own[2] + own[3] + own[4]) * TICK_MILLIS);
      try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path proc : procs) {
          try {
            long[] child = stat(proc.resolve("stat"));
            if (child[0] == postmaster) {
              byKind.merge(kind(proc), (child[1] + child[2]) * TICK_MILLIS, Double::sum);
            }
          } catch (IOException | RuntimeException gone) {
            // the process ended while we looked
          }
        }
      }
      return byKind;
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  // "postgres: walwriter" → "walwriter"; a backend's title names its user and database instead.
  private static String kind(Path proc) throws IOException {
    String title = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
    title = title.replace('\0', ' ').trim();
    if (!title.startsWith("postgres: ")) {
      return "other";
    }
    String what = title.substring("postgres: ".length());
    for (String background :
        List.of(
            "walwriter",
            "checkpointer",
            "background writer",
            "autovacuum launcher",
            "autovacuum worker",
            "logical replication launcher",
            "walsummarizer")) {
      if (what.startsWith(background)) {
        return background;
      }
    }
    return "backends";
  }

  // ppid, utime, stime, cutime, cstime (fields 4, 14–17 of proc(5); the name may hold spaces)
  private static long[] stat(Path file) throws IOException {
    String line = Files.readString(file);
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return new long[] {
      Long.parseLong(f[1]),
      Long.parseLong(f[11]),
      Long.parseLong(f[12]),
      Long.parseLong(f[13]),
      Long.parseLong(f[14])
    };
  }

  /**
   * The server's counters now. Backends report their statistics about once a second, so the caller
   * waits for the pipeline to be quiet before the second reading.
   */
  static Map<String, Double> counters(DataSource dataSource) {
    return snapshot(
        dataSource,
        "statistics",
        s -> {
          Map<String, Double> values = new LinkedHashMap<>();
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT xact_commit, tup_fetched, tup_inserted, tup_updated, tup_deleted"
                      + " FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            for (int i = 0; i < 5; i++) {
              values.put(COUNTERS.get(i), rs.getDouble(i + 1));
            }
          }
          try (ResultSet rs =
              s.executeQuery("SELECT wal_records, wal_sync, wal_bytes FROM pg_stat_wal")) {
            rs.next();
            for (int i = 0; i < 3; i++) {
              values.put(COUNTERS.get(5 + i), rs.getDouble(i + 1));
            }
          }
          return values;
        });
  }

  /**
   * Reads by table now, from pg_stat_all_tables (a TOAST table under its owner's name with "
   * (TOAST)"): which table the server's rows fetched per message come from, and whether by scan or
   * by index.
   */
  static Map<String, long[]> tables(DataSource dataSource) {
    return snapshot(
        dataSource,
        "table statistics",
        s -> {
          Map<String, long[]> tables = new LinkedHashMap<>();
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT t.schemaname, t.relname,"
                      + " coalesce(o.relname, ''), t.seq_scan, t.seq_tup_read,"
                      + " coalesce(t.idx_scan, 0), coalesce(t.idx_tup_fetch, 0)"
                      + " FROM pg_stat_all_tables t"
                      + " LEFT JOIN pg_class o ON o.reltoastrelid = t.relid"
                      + " WHERE t.schemaname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
              String name =
                  rs.getString(3).isEmpty() ? rs.getString(2) : rs.getString(3) + " (TOAST)";
              tables.put(
                  name, new long[] {rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)});
            }
          }
          return tables;
        });
  }

  /** One reading of the server's statistics. */
  private interface Reading<T> {
    T read(Statement statement) throws SQLException;
  }

  /**
   * A fresh snapshot of the statistics (pg_stat_clear_snapshot: the transaction's cached one is
   * dropped), read on its own connection; an empty map, with the reason printed, when the server
   * does not give them.
   */
  private static <V> Map<String, V> snapshot(
      DataSource dataSource, String what, Reading<Map<String, V>> reading) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_clear_snapshot()");
      Map<String, V> values = reading.read(s);
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return values;
    } catch (SQLException e) {
      System.out.println("PostgreSQL " + what + " not available: " + e.getMessage());
      return Map.of();
    }
  }
}
