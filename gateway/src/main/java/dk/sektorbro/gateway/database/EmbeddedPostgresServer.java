package dk.sektorbro.gateway.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
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
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  public static final String DATABASE = "sektorbro";
  public static final String USER = "postgres";

  /** Crash safety: zonky turns these off for speed in tests; the journal needs them on. */
  static final Map<String, String> DURABILITY =
      Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedPostgres postgres;

  private EmbeddedPostgresServer(
      FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.postgres = postgres;
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
      throw new IllegalStateException(
          "the data folder "
              + dataDir
              + " is in use by another gateway process;"
              + " each node needs its own data folder (docs/cluster.md)");
    }
    try {
      Path pgData = dbDir.resolve("postgres");
      StalePostmaster.clear(pgData);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(false)
              // Spring stops the database after everything using it; zonky's own hook would race
              // it.
              .setRegisterShutdownHook(false)
              .setPGStartupWait(properties.startupWait())
              .setServerConfig("listen_addresses", "localhost");
      DURABILITY.forEach(builder::setServerConfig);
      if (properties.port() > 0) {
        builder.setPort(properties.port());
      }
      EmbeddedPostgres postgres = builder.start();
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(channel, lock, postgres);
      server.prepare();
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

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    try {
      postgres.close();
    } finally {
      if (lock.isValid()) {
        lock.release();
      }
      lockChannel.close();
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
      throw new IllegalStateException(
          "found an H2 journal ("
              + dbDir.resolve("journal.mv.db")
              + ") from an older"
              + " version; the embedded database is now PostgreSQL. Finish or export its messages with the older"
              + " version, then move the file away (docs/cluster.md)");
    }
  }
}
