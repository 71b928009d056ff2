package dk.sektorbro.gateway.validation;

import java.util.List;

/** The validator's findings. Any ERROR (or FATAL) issue means the message must not be sent. */
public record ValidationReport(String chain, List<Issue> issues) {

  public enum Severity {
    FATAL,
    ERROR,
    WARNING,
    INFORMATION
  }

  /**
   * One finding with where it is in the message (FHIRPath-like location), what is wrong, and the
   * validator's message id (HAPI's i18n key or a constraint key; null where the validator gives
   * none).
   */
  public record Issue(Severity severity, String location, String message, String messageId) {

    public Issue(Severity severity, String location, String message) {
      this(severity, location, message, null);
    }
  }

  public ValidationReport {
    issues = List.copyOf(issues);
  }

  public boolean valid() {
    return errors().isEmpty();
  }

  public List<Issue> errors() {
    return issues.stream()
        .filter(i -> i.severity() == Severity.ERROR || i.severity() == Severity.FATAL)
        .toList();
  }

  /**
   * Same verdict and the same issues by severity, location and message id (the text may name other
   * values).
   */
  public boolean sameFindings(ValidationReport other) {
    return valid() == other.valid() && keys(this).equals(keys(other));
  }

  private static List<String> keys(ValidationReport report) {
    return report.issues.stream()
        .map(
            i ->
                i.severity()
                    + "|"
                    + i.location()
                    + "|"
                    + (i.messageId() != null ? i.messageId() : i.message()))
        .toList();
  }

  public List<Issue> warnings() {
    return issues.stream().filter(i -> i.severity() == Severity.WARNING).toList();
  }
}
