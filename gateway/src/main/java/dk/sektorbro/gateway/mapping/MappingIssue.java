package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.platform.web.Issue;

/**
 * One thing wrong with a record: the canonical field, where the mapping looked for it, the rule it
 * broke and a message. Never carries the offending value (it may be personal data).
 */
public record MappingIssue(String field, String sourcePath, String rule, String message) {

  /** As the API reports it. */
  public Issue issue() {
    return new Issue(field, sourcePath, rule, message);
  }

  @Override
  public String toString() {
    return field
        + (sourcePath == null ? "" : " (" + sourcePath + ")")
        + ": "
        + message
        + " ["
        + rule
        + "]";
  }
}
