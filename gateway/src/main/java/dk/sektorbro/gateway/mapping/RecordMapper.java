package dk.sektorbro.gateway.mapping;

import static dk.sektorbro.gateway.mapping.CanonicalField.*;

import dk.sektorbro.gateway.journal.Columns;
import dk.sektorbro.gateway.mapping.CanonicalField.AttachmentField;
import dk.sektorbro.gateway.mapping.MappingDefinition.FieldRule;
import dk.sektorbro.gateway.mapping.SourceParser.MalformedRecordException;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.record.CanonicalRecord.Attachment;
import dk.sektorbro.gateway.record.CanonicalRecord.Author;
import dk.sektorbro.gateway.record.CanonicalRecord.Citizen;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import dk.sektorbro.gateway.record.Cpr;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link MappingDefinition} to one raw record. Pure function: bytes in, a {@link
 * MappingOutcome} out; every problem is reported with its canonical field and source path.
 */
public final class RecordMapper {

  private static final String NOT_A_VALUE = "not-a-value";

  private final CanonicalRecordRules rules;

  public RecordMapper(CanonicalRecordRules rules) {
    this.rules = rules;
  }

  public MappingOutcome map(MappingDefinition mapping, byte[] payload) {
    SourceNode root;
    try {
      root = SourceParser.parse(mapping.format(), payload);
    } catch (MalformedRecordException e) {
      return new MappingOutcome.Malformed(null, e.getMessage());
    }
    Extraction x = new Extraction(mapping, new ArrayList<>());
    String recordId = x.scalar(root, "recordId", mapping.recordId());
    if (recordId == null && !x.issues.isEmpty()) {
      recordId = referenceToUnusableId(root, mapping.recordId());
    } else if (recordId == null) {
      x.issues.add(
          new MappingIssue(
              "recordId",
              pathOf(mapping.recordId()),
              "required",
              "the source record id is missing"));
    }
    CanonicalRecord record = extract(x, root, recordId);
    for (MappingIssue issue : rules.check(record, mapping)) {
      // A field the mapping already reported (e.g. required but absent) is reported once.
      if (x.issues.stream().noneMatch(known -> known.field().equals(issue.field()))) {
        x.issues.add(issue);
      }
    }
    PlanData plan = mapping.plan() == null ? null : plan(x, root, mapping.plan());
    if (!x.issues.isEmpty()) {
      return new MappingOutcome.Invalid(recordId, List.copyOf(x.issues));
    }
    return new MappingOutcome.Mapped(recordId, record, plan);
  }

  // The plan section: scalar fields and repeated groups, with the same rules as canonical fields.
  private static PlanData plan(Extraction x, SourceNode root, MappingDefinition.PlanRule rule) {
    String kind = x.scalar(root, "plan.kind", rule.kind());
    Map<String, String> fields = new LinkedHashMap<>();
    rule.fields()
        .forEach(
            (key, fieldRule) -> {
              String value = x.scalar(root, "plan." + key, fieldRule);
              if (value != null) {
                fields.put(key, value);
              }
            });
    Map<String, List<Map<String, String>>> groups = new LinkedHashMap<>();
    rule.groups()
        .forEach(
            (key, group) -> {
              List<Map<String, String>> rows = new ArrayList<>();
              List<SourceNode> nodes = root.nodes(group.each());
              for (int i = 0; i < nodes.size(); i++) {
                Map<String, String> row = new LinkedHashMap<>();
                for (Map.Entry<String, FieldRule> f : group.fields().entrySet()) {
                  String value =
                      x.scalar(
                          nodes.get(i), "plan." + key + "[" + i + "]." + f.getKey(), f.getValue());
                  if (value != null) {
                    row.put(f.getKey(), value);
                  }
                }
                rows.add(row);
              }
              groups.put(key, rows);
            });
    return new PlanData(kind, fields, groups);
  }

  private CanonicalRecord extract(Extraction x, SourceNode root, String recordId) {
    return new CanonicalRecord(
        recordId,
        new Citizen(
            Cpr.normalise(x.field(root, CITIZEN_CPR)),
            x.field(root, CITIZEN_GIVEN_NAME),
            x.field(root, CITIZEN_FAMILY_NAME),
            x.field(root, CITIZEN_REPLACEMENT_CPR),
            x.field(root, CITIZEN_REPLACEMENT_CPR_SYSTEM)),
        new Organisation(
            x.field(root, SENDER_SOR), x.field(root, SENDER_GLN), x.field(root, SENDER_NAME)),
        new Author(
            x.field(root, AUTHOR_GIVEN_NAME),
            x.field(root, AUTHOR_FAMILY_NAME),
            x.field(root, AUTHOR_ROLE),
            x.field(root, AUTHOR_PHONE)),
        new Organisation(
            x.field(root, RECIPIENT_SOR),
            x.field(root, RECIPIENT_GLN),
            x.field(root, RECIPIENT_NAME)),
        x.field(root, CATEGORY),
        x.field(root, TOPIC),
        x.field(root, TEXT),
        x.field(root, PRIORITY),
        x.field(root, EPISODE_OF_CARE_ID),
        x.dateTime(SENT_AT.key(), x.mapping.fields().get(SENT_AT.key()), x.field(root, SENT_AT)),
        x.list(root, INFORMATION_CATEGORIES),
        x.field(root, PURPOSE),
        attachments(x, root),
        x.field(root, LEGAL_BASIS),
        x.field(root, LEGAL_BASIS_JUSTIFICATION),
        x.field(root, RECIPIENT_KIND),
        x.field(root, SENDER_UNIT),
        x.field(root, RECIPIENT_UNIT),
        thread(x, root),
        x.field(root, PLAN_REFERENCE));
  }

  private static CanonicalRecord.ThreadReference thread(Extraction x, SourceNode root) {
    String action = x.field(root, THREAD_ACTION);
    String header = x.field(root, THREAD_MESSAGE_HEADER_ID);
    String threadId = x.field(root, THREAD_ID);
    String episode = x.field(root, THREAD_EPISODE_OF_CARE_ID);
    List<String> segments = x.list(root, THREAD_SEGMENTS);
    if (action == null
        && header == null
        && threadId == null
        && episode == null
        && segments.isEmpty()) {
      return null;
    }
    return new CanonicalRecord.ThreadReference(action, header, threadId, episode, segments);
  }

  private List<Attachment> attachments(Extraction x, SourceNode root) {
    MappingDefinition.AttachmentRule rule = x.mapping.attachments();
    if (rule == null) {
      return List.of();
    }
    List<Attachment> attachments = new ArrayList<>();
    List<SourceNode> nodes = root.nodes(rule.each());
    for (int i = 0; i < nodes.size(); i++) {
      SourceNode node = nodes.get(i);
      String prefix = "attachments[" + i + "].";
      Map<String, FieldRule> f = rule.fields();
      String creation = x.scalar(node, prefix + "creation", f.get(AttachmentField.CREATION.key()));
      Author author =
          new Author(
              x.scalar(
                  node,
                  prefix + "author.givenName",
                  f.get(AttachmentField.AUTHOR_GIVEN_NAME.key())),
              x.scalar(
                  node,
                  prefix + "author.familyName",
                  f.get(AttachmentField.AUTHOR_FAMILY_NAME.key())),
              x.scalar(node, prefix + "author.role", f.get(AttachmentField.AUTHOR_ROLE.key())),
              x.scalar(node, prefix + "author.phone", f.get(AttachmentField.AUTHOR_PHONE.key())));
      boolean noAuthor =
          author.givenName() == null
              && author.familyName() == null
              && author.role() == null
              && author.phone() == null;
      attachments.add(
          new Attachment(
              x.scalar(node, prefix + "title", f.get(AttachmentField.TITLE.key())),
              x.scalar(node, prefix + "contentType", f.get(AttachmentField.CONTENT_TYPE.key())),
              x.scalar(node, prefix + "data", f.get(AttachmentField.DATA.key())),
              x.dateTime(prefix + "creation", f.get(AttachmentField.CREATION.key()), creation),
              x.scalar(node, prefix + "url", f.get(AttachmentField.URL.key())),
              noAuthor ? null : author));
    }
    // Each attachment is checked on its own in scalar(); together they share the same budget.
    FieldRule dataRule = rule.fields().get(AttachmentField.DATA.key());
    int limit = FieldLimits.of("attachments.data", dataRule);
    long total =
        attachments.stream().mapToLong(a -> a.data() == null ? 0 : a.data().length()).sum();
    if (attachments.size() > 1 && total > limit) {
      x.issues.add(
          new MappingIssue(
              "attachments",
              dataRule == null ? null : dataRule.origin(),
              "max-length",
              "the attachments' data together are "
                  + total
                  + " characters (base64), over the limit of "
                  + limit));
    }
    return attachments;
  }

  // A record id over its limit or with forbidden characters: the refusal is journaled under a
  // reference.
  private static String referenceToUnusableId(SourceNode root, FieldRule rule) {
    if (rule == null || rule.path() == null) {
      return null;
    }
    List<String> raw = root.texts(rule.path());
    return raw.size() == 1 ? Columns.reference(raw.get(0)) : null;
  }

  private static String pathOf(FieldRule rule) {
    return rule == null ? null : rule.origin();
  }

  /** State of one mapping run: the definition and the issues found so far. */
  private record Extraction(MappingDefinition mapping, List<MappingIssue> issues) {

    String field(SourceNode node, CanonicalField field) {
      return scalar(node, field.key(), mapping.fields().get(field.key()));
    }

    String scalar(SourceNode node, String name, FieldRule rule) {
      if (rule == null) {
        return null;
      }
      int known = issues.size();
      List<String> values = rawValues(node, name, rule);
      if (values.size() > 1) {
        issues.add(
            new MappingIssue(
                name,
                rule.origin(),
                "single-value",
                "the path selects " + values.size() + " values where one is expected"));
        return null;
      }
      String value = values.isEmpty() ? null : finish(name, rule, values.get(0));
      if (value == null && rule.defaultValue() != null) {
        value = rule.defaultValue();
      }
      // A value the value map rejected, or a group, is reported once, not again as missing.
      if (value == null && rule.required() && issues.size() == known) {
        issues.add(new MappingIssue(name, rule.origin(), "required", "a value is required"));
      }
      return value;
    }

    List<String> list(SourceNode node, CanonicalField field) {
      FieldRule rule = mapping.fields().get(field.key());
      if (rule == null) {
        return List.of();
      }
      List<String> values = new ArrayList<>();
      int known = issues.size();
      for (String raw : rawValues(node, field.key(), rule)) {
        String value = finish(field.key(), rule, raw);
        if (value != null && !values.contains(value)) {
          values.add(value);
        }
      }
      if (values.isEmpty() && rule.defaultValue() != null) {
        values.add(rule.defaultValue());
      }
      if (values.isEmpty() && rule.required() && issues.size() == known) {
        issues.add(
            new MappingIssue(
                field.key(), rule.origin(), "required", "at least one value is required"));
      }
      return values;
    }

    OffsetDateTime dateTime(String name, FieldRule rule, String value) {
      if (value == null) {
        return null;
      }
      OffsetDateTime parsed = DateTimes.parse(value);
      if (parsed == null) {
        issues.add(
            new MappingIssue(
                name,
                rule == null ? null : rule.origin(),
                "date-time",
                "not a date-time (expected ISO 8601, e.g. 2026-11-23T10:15:00+01:00)"));
      }
      return parsed;
    }

    // A group where values are expected is an issue of its field: it is never silently dropped.
    // Looked for only when there is no value, or among a list's values (a list may mix them).
    private List<String> rawValues(SourceNode node, String name, FieldRule rule) {
      if (rule.value() != null) {
        return List.of(rule.value());
      }
      List<String> texts = node.texts(rule.path());
      if ((texts.isEmpty() || rule.path().contains("[")) && node.groups(rule.path()) > 0) {
        issues.add(
            new MappingIssue(
                name,
                rule.origin(),
                NOT_A_VALUE,
                "the path selects a JSON object or array where a value (text, number or"
                    + " true/false) is expected"));
        return List.of();
      }
      return texts;
    }

    // Trim, apply transforms in order, then the value map. Blank means absent.
    // Limits and characters first, on the raw value: nothing unbounded or uncarriable goes further.
    private String finish(String name, FieldRule rule, String raw) {
      int limit = FieldLimits.of(name, rule);
      if (raw.length() > limit) {
        issues.add(
            new MappingIssue(
                name,
                rule.origin(),
                "max-length",
                "the value is "
                    + raw.length()
                    + " characters, over the limit of "
                    + limit
                    + (name.endsWith(".data") ? " (attachment data, base64)" : "")));
        return null;
      }
      String value = TextRules.normalise(raw).strip();
      Optional<String> bad = TextRules.problem(value);
      if (bad.isPresent()) {
        issues.add(new MappingIssue(name, rule.origin(), TextRules.RULE, "the value " + bad.get()));
        return null;
      }
      for (String transform : rule.transform()) {
        value = FieldTransforms.apply(transform, value);
      }
      if (value.isEmpty()) {
        return null;
      }
      if (rule.map() != null) {
        Map<String, String> valueMap = mapping.valueMaps().get(rule.map());
        String mapped = valueMap.get(value);
        if (mapped == null) {
          mapped = valueMap.get("*");
        }
        if (mapped == null && rule.unmapped() == MappingDefinition.Unmapped.KEEP) {
          return value;
        }
        if (mapped == null) {
          issues.add(
              new MappingIssue(
                  name,
                  rule.origin(),
                  "value-map:" + rule.map(),
                  "the source code is not in value map '" + rule.map() + "'"));
        }
        return mapped;
      }
      return value;
    }
  }
}
