package dk.sektorbro.gateway.database;

/**
 * The embedded database refuses to start on this data folder: another gateway process holds it, or
 * it holds a journal of an older version. Reported as one line by {@link
 * EmbeddedDatabaseRefusedAnalyzer}, not as "Application run failed" with its stack trace.
 */
public class EmbeddedDatabaseRefused extends IllegalStateException {

  public EmbeddedDatabaseRefused(String message) {
    super(message);
  }
}
