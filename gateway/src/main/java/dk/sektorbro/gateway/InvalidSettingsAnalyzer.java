package dk.sektorbro.gateway;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a failed start-up check into Spring Boot's short "APPLICATION FAILED TO START" report. */
public class InvalidSettingsAnalyzer
    extends AbstractFailureAnalyzer<StartupChecks.InvalidSettings> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StartupChecks.InvalidSettings cause) {
    return new FailureAnalysis(
        String.join(System.lineSeparator(), cause.problems()),
        "Correct the setting (application.yml, config/application.yml or its environment variable, e.g."
            + " gateway.mappings-dir as GATEWAY_MAPPINGS_DIR); relative paths are relative to the working"
            + " directory. See docs/operations.md.",
        cause);
  }
}
