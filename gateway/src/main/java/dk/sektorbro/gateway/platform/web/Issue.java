package dk.sektorbro.gateway.platform.web;

/**
 * One thing wrong with a request, in the one vocabulary every capability uses to say so: the field,
 * where it was read from (may be null), the rule it broke and words for people. Never the offending
 * value (it may be personal data). An OperationOutcome issue shows it.
 */
public record Issue(String field, String sourcePath, String rule, String message) {

  /** An issue of a field read from the request itself (no separate source path). */
  public static Issue of(String field, String rule, String message) {
    return new Issue(field, null, rule, message);
  }

  /** The same issue, its field placed under {@code prefix} (e.g. the n-th entry of an import). */
  public Issue under(String prefix) {
    return new Issue(prefix + field, sourcePath, rule, message);
  }
}
