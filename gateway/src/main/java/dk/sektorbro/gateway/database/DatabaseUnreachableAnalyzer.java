package dk.sektorbro.gateway.database;

import java.sql.SQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * A start that cannot reach its database (GATEWAY_DB_URL: host, port, database, user or password
 * wrong, the server down) ends in Spring Boot's short "APPLICATION FAILED TO START" report with one
 * line naming the setting and what the server or driver said, instead of "Application run failed"
 * and ten nested causes with their stack traces (StartupMisconfigurationTest). Registered in {@code
 * META-INF/spring.factories}.
 */
public class DatabaseUnreachableAnalyzer extends AbstractFailureAnalyzer<SQLException> {

  private final Environment environment;

  public DatabaseUnreachableAnalyzer(Environment environment) {
    this.environment = environment;
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
    String state = cause.getSQLState();
    // 08: connection exception; 28: invalid authorization; 3D000: no such database.
    if (state == null
        || !(state.startsWith("08") || state.startsWith("28") || state.equals("3D000"))) {
      return null;
    }
    String said = firstLine(cause.getMessage());
    return new FailureAnalysis(
        where() + ": the database cannot be reached (SQLSTATE " + state + ": " + said + ")",
        "Check GATEWAY_DB_URL, GATEWAY_DB_USER and GATEWAY_DB_PASSWORD, that PostgreSQL runs and"
            + " accepts connections from this host (listen_addresses, pg_hba.conf, firewall). See"
            + " docs/operations.md, On call.",
        cause);
  }

  // The URL without its parameters: they may carry a password.
  private String where() {
    String url = environment.getProperty("spring.datasource.url");
    if (!StringUtils.hasText(url)) {
      return "the embedded database (no GATEWAY_DB_URL)";
    }
    int parameters = url.indexOf('?');
    return "spring.datasource.url=" + (parameters < 0 ? url : url.substring(0, parameters));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }
}
