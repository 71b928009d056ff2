package dk.sektorbro.gateway.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A start refused by the embedded database ends in Spring Boot's short "APPLICATION FAILED TO
 * START" report with the reason in one line (StartupMisconfigurationTest). Registered in {@code
 * META-INF/spring.factories}.
 */
public class EmbeddedDatabaseRefusedAnalyzer
    extends AbstractFailureAnalyzer<EmbeddedDatabaseRefused> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, EmbeddedDatabaseRefused cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "The line above says what to do; docs/cluster.md explains the data folder and its embedded"
            + " database, docs/operations.md (On call) what else can stop a start.",
        cause);
  }
}
