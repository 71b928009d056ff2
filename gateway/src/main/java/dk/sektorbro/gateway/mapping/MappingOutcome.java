package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.List;
import java.util.stream.Collectors;

/** What mapping one record gave: a canonical record, a payload that cannot be read, or a record that breaks rules. */
public sealed interface MappingOutcome {

  /** The source record id, where it could be read. */
  String recordId();

  record Mapped(String recordId, CanonicalRecord record) implements MappingOutcome {}

  /** The payload is not well-formed JSON/XML, is empty, or not in the declared encoding. */
  record Malformed(String recordId, String reason) implements MappingOutcome {}

  /** The payload was readable but required fields are missing or break a rule. */
  record Invalid(String recordId, List<MappingIssue> issues) implements MappingOutcome {
    public String summary() {
      return issues.stream().map(MappingIssue::toString).collect(Collectors.joining("; "));
    }
  }
}
