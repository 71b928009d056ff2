package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.mapping.CanonicalField.AttachmentField;
import dk.sektorbro.gateway.mapping.MappingDefinition.FieldRule;
import dk.sektorbro.gateway.record.LocationNumbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Static checks of a mapping file: known fields, one source per rule, existing value maps, valid
 * paths.
 */
final class MappingChecker {

  private final MappingDefinition mapping;
  private final String expectedSource;
  private final List<String> problems = new ArrayList<>();

  MappingChecker(MappingDefinition mapping, String expectedSource) {
    this.mapping = mapping;
    this.expectedSource = expectedSource;
  }

  List<String> problems() {
    if (mapping.source() == null || !mapping.source().matches("[a-z0-9][a-z0-9-]{0,63}")) {
      problems.add("source: must be lower-case letters, digits and hyphens");
    } else if (!mapping.source().equals(expectedSource)) {
      problems.add(
          "source: '" + mapping.source() + "' must equal the file name '" + expectedSource + "'");
    }
    if (mapping.format() == null) {
      problems.add("format: json or xml is required");
      return problems;
    }
    checkSenders();
    if (mapping.recordId() == null) {
      problems.add("recordId: required (where the source's own record id is)");
    } else {
      checkRule("recordId", mapping.recordId());
    }
    mapping
        .fields()
        .forEach(
            (key, rule) -> {
              if (CanonicalField.byKey(key).isEmpty()) {
                problems.add("fields." + key + ": unknown canonical field");
              } else {
                checkRule("fields." + key, rule);
              }
            });
    checkAttachments();
    checkPlan();
    checkReverse();
    return problems;
  }

  /** senders: when given, at least one SOR code, each with its namespace and check digit. */
  private void checkSenders() {
    if (mapping.senders() == null) {
      return;
    }
    if (mapping.senders().isEmpty()) {
      problems.add(
          "senders: list the SOR codes of the units this source sends for, or leave it out");
    }
    for (String sor : mapping.senders()) {
      if (!LocationNumbers.isValidSor(sor)) {
        problems.add("senders: '" + sor + "' is not a valid SOR code (namespace, check digit)");
      }
    }
  }

  private void checkReverse() {
    MappingDefinition.ReverseRule reverse = mapping.reverse();
    if (reverse == null) {
      return;
    }
    boolean json = mapping.format() == RecordFormat.JSON;
    reverse
        .fields()
        .forEach(
            (path, rule) -> {
              if (!(json
                  ? JsonTreeWriter.isValidPath(path, false)
                  : XmlTreeWriter.isValidPath(path, true))) {
                problems.add("reverse.fields." + path + ": invalid target path");
              }
              checkReverseRule(
                  "reverse.fields." + path,
                  rule,
                  ReverseField.byKey(rule == null ? null : rule.from()).isPresent());
            });
    MappingDefinition.ReverseAttachmentRule attachments = reverse.attachments();
    if (attachments == null) {
      return;
    }
    String each = attachments.each();
    if (each == null
        || !(json
            ? JsonTreeWriter.isValidPath(each, true)
            : XmlTreeWriter.isValidPath(each, true))) {
      problems.add(
          "reverse.attachments.each: a target path to the repeated element is required"
              + (json ? " (ending in [])" : " (absolute)"));
    }
    attachments
        .fields()
        .forEach(
            (path, rule) -> {
              if (!(json
                  ? JsonTreeWriter.isValidPath(path, false)
                  : XmlTreeWriter.isValidPath(path, false))) {
                problems.add("reverse.attachments.fields." + path + ": invalid target path");
              }
              checkReverseRule(
                  "reverse.attachments.fields." + path,
                  rule,
                  rule != null && ReverseField.ATTACHMENT_FIELDS.contains(rule.from()));
            });
  }

  private void checkReverseRule(
      String name, MappingDefinition.ReverseFieldRule rule, boolean knownFrom) {
    if (rule == null) {
      problems.add(name + ": empty rule");
      return;
    }
    if ((rule.from() == null) == (rule.value() == null)) {
      problems.add(name + ": exactly one of 'from' or 'value' is required");
    } else if (rule.from() != null && !knownFrom) {
      problems.add(name + ": unknown field '" + rule.from() + "' of a received message");
    }
    if (rule.map() != null && !mapping.valueMaps().containsKey(rule.map())) {
      problems.add(name + ": value map '" + rule.map() + "' is not defined under valueMaps");
    }
  }

  private void checkPlan() {
    MappingDefinition.PlanRule plan = mapping.plan();
    if (plan == null) {
      return;
    }
    if (plan.kind() == null) {
      problems.add("plan.kind: required (where the plan kind is, or a constant)");
    } else {
      checkRule("plan.kind", plan.kind());
    }
    plan.fields()
        .forEach(
            (key, rule) -> {
              if (PlanField.byKey(key).isEmpty()) {
                problems.add("plan.fields." + key + ": unknown plan field");
              } else {
                checkRule("plan.fields." + key, rule);
              }
            });
    plan.groups()
        .forEach(
            (key, group) -> {
              var known = PlanField.Group.byKey(key);
              if (known.isEmpty()) {
                problems.add(
                    "plan.groups." + key + ": unknown group (known: contacts, interventions)");
                return;
              }
              if (group.each() == null || !validPath(group.each())) {
                problems.add(
                    "plan.groups."
                        + key
                        + ".each: a valid path to the repeated element is required");
              }
              group
                  .fields()
                  .forEach(
                      (field, rule) -> {
                        if (!known.get().fields().contains(field)) {
                          problems.add(
                              "plan.groups."
                                  + key
                                  + ".fields."
                                  + field
                                  + ": unknown field (known: "
                                  + known.get().fields()
                                  + ")");
                        } else {
                          checkRule("plan.groups." + key + ".fields." + field, rule);
                        }
                      });
            });
  }

  private void checkAttachments() {
    MappingDefinition.AttachmentRule attachments = mapping.attachments();
    if (attachments == null) {
      return;
    }
    if (attachments.each() == null || !validPath(attachments.each())) {
      problems.add("attachments.each: a valid path to the repeated attachment element is required");
    }
    for (Map.Entry<String, FieldRule> e : attachments.fields().entrySet()) {
      if (AttachmentField.byKey(e.getKey()).isEmpty()) {
        problems.add("attachments.fields." + e.getKey() + ": unknown attachment field");
      } else {
        checkRule("attachments.fields." + e.getKey(), e.getValue());
      }
    }
  }

  private void checkRule(String name, FieldRule rule) {
    if (rule == null) {
      problems.add(name + ": empty rule");
      return;
    }
    if ((rule.path() == null) == (rule.value() == null)) {
      problems.add(name + ": exactly one of 'path' or 'value' is required");
    }
    if (rule.path() != null && !validPath(rule.path())) {
      problems.add(
          name
              + ": invalid "
              + mapping.format().name().toLowerCase()
              + " path '"
              + rule.path()
              + "'");
    }
    for (String transform : rule.transform()) {
      if (!FieldTransforms.exists(transform)) {
        problems.add(
            name
                + ": unknown transform '"
                + transform
                + "' (known: "
                + FieldTransforms.names()
                + ")");
      }
    }
    if (rule.maxLength() != null && rule.maxLength() < 1) {
      problems.add(name + ": maxLength must be at least 1");
    }
    if (rule.map() != null && !mapping.valueMaps().containsKey(rule.map())) {
      problems.add(name + ": value map '" + rule.map() + "' is not defined under valueMaps");
    }
  }

  private boolean validPath(String path) {
    return mapping.format() == RecordFormat.JSON
        ? JsonSourceNode.isValidPath(path)
        : XmlSourceNode.isValidPath(path);
  }
}
