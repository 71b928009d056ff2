package dk.sektorbro.gateway.mapping;

import java.util.List;
import java.util.Map;

/**
 * The plan part of a record, as the mapping found it: still the source's vocabulary turned into the
 * gateway's keys (see {@link PlanField}), not yet a typed plan. The careplan package builds the
 * typed plan from it, so mapping stays free of plan semantics.
 *
 * @param kind a plan-kind code (e.g. {@code kip})
 * @param fields plan field key to value; absent fields are missing
 * @param groups group name ({@code contacts}, {@code interventions}) to its rows, each row field
 *     key to value
 */
public record PlanData(
    String kind, Map<String, String> fields, Map<String, List<Map<String, String>>> groups) {

  public PlanData {
    fields = Map.copyOf(fields);
    groups = Map.copyOf(groups);
  }

  public String field(PlanField field) {
    return fields.get(field.key());
  }

  public List<Map<String, String>> group(PlanField.Group group) {
    return groups.getOrDefault(group.key(), List.of());
  }
}
