package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What mapping one record gave: a canonical record, a payload that cannot be read, or a record that
 * breaks rules.
 */
public sealed interface MappingOutcome {

  /** The source record id, where it could be read. */
  String recordId();

  /** A mapped record; {@code plan} is set only when the mapping has a {@code plan:} section. */
  record Mapped(String recordId, CanonicalRecord record, PlanData plan) implements MappingOutcome {
    public Mapped(String recordId, CanonicalRecord record) {
      this(recordId, record, null);
    }
  }

  /** The payload is not well-formed JSON/XML, is empty, or not in the declared encoding. */
  record Malformed(String recordId, String reason) implements MappingOutcome {}

  /** The payload was readable but required fields are missing or break a rule. */
  record Invalid(String recordId, List<MappingIssue> issues) implements MappingOutcome {
    public String summary() {
      return issues.stream().map(MappingIssue::toString).collect(Collectors.joining("; "));
    }
  }
}
