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

  /** One finding with where it is in the message (FHIRPath-like location) and what is wrong. */
  public record Issue(Severity severity, String location, String message) {}

  public ValidationReport {
    issues = List.copyOf(issues);
  }

  public boolean valid() {
    return errors().isEmpty();
  }

  public List<Issue> errors() {
    return issues.stream().filter(i -> i.severity() == Severity.ERROR || i.severity() == Severity.FATAL).toList();
  }

  public List<Issue> warnings() {
    return issues.stream().filter(i -> i.severity() == Severity.WARNING).toList();
  }
}
