package dk.sektorbro.gateway.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One source system's mapping file ({@code mappings/<source>.yaml}): where each canonical field is
 * found in the source's record format, and how the source's own codes translate to MedCom's. {@code
 * senderKind} (a consent.SenderKind code) says what kind of unit the source sends for: the
 * legal-basis rules check it, with the SOR registry, instead of believing the record
 * (docs/consent.md). {@code senders} (SOR codes) binds the source to the organisation it sends for:
 * a record's sender must be one of those units or below one in the SOR registry
 * (docs/addressing.md); without it the sender is the record's own statement.
 */
public record MappingDefinition(
    String source,
    String description,
    RecordFormat format,
    FieldRule recordId,
    Map<String, FieldRule> fields,
    AttachmentRule attachments,
    Map<String, Map<String, String>> valueMaps,
    PlanRule plan,
    ReverseRule reverse,
    String senderKind,
    List<String> senders) {

  public MappingDefinition {
    fields = fields == null ? Map.of() : Map.copyOf(fields);
    valueMaps = valueMaps == null ? Map.of() : Map.copyOf(valueMaps);
    senders = senders == null ? null : List.copyOf(senders); // null: not bound (absent)
  }

  /** A source of messages only (no {@code plan:} section). */
  public MappingDefinition(
      String source,
      String description,
      RecordFormat format,
      FieldRule recordId,
      Map<String, FieldRule> fields,
      AttachmentRule attachments,
      Map<String, Map<String, String>> valueMaps) {
    this(
        source,
        description,
        format,
        recordId,
        fields,
        attachments,
        valueMaps,
        null,
        null,
        null,
        null);
  }

  /**
   * How one canonical field is filled: from a path or a constant, then transforms, value map and
   * default.
   */
  public record FieldRule(
      String path,
      String value,
      List<String> transform,
      String map,
      Unmapped unmapped,
      @JsonProperty("default") String defaultValue,
      boolean required,
      Integer maxLength) {

    public FieldRule {
      transform = transform == null ? List.of() : List.copyOf(transform);
      unmapped = unmapped == null ? Unmapped.ERROR : unmapped;
    }

    /** A rule with the default length limit of its field ({@link FieldLimits}). */
    public FieldRule(
        String path,
        String value,
        List<String> transform,
        String map,
        Unmapped unmapped,
        String defaultValue,
        boolean required) {
      this(path, value, transform, map, unmapped, defaultValue, required, null);
    }

    /** Where the value comes from, for error messages ("source path x" or "constant"). */
    public String origin() {
      return path != null ? "source path '" + path + "'" : "mapping constant";
    }
  }

  /**
   * What happens to a source code that is not in the value map: an error, or kept as it is (e.g.
   * free-text roles).
   */
  public enum Unmapped {
    ERROR,
    KEEP
  }

  /** Attachments: a repeated element ({@code each}) and the fields of each attachment inside it. */
  public record AttachmentRule(String each, Map<String, FieldRule> fields) {
    public AttachmentRule {
      fields = fields == null ? Map.of() : Map.copyOf(fields);
    }
  }

  /**
   * A source whose records are care plans ({@code plan:}): the plan kind, the plan's own fields
   * (vocabulary in {@link PlanField}) and its repeated groups (contacts, interventions).
   */
  public record PlanRule(
      FieldRule kind, Map<String, FieldRule> fields, Map<String, AttachmentRule> groups) {
    public PlanRule {
      fields = fields == null ? Map.of() : Map.copyOf(fields);
      groups = groups == null ? Map.of() : Map.copyOf(groups);
    }
  }

  /**
   * The way back ({@code reverse:}): how a message received from a hospital is written in this
   * source's own format. Keys are target paths in the source format, in the order they are written.
   */
  public record ReverseRule(
      Map<String, ReverseFieldRule> fields, ReverseAttachmentRule attachments) {
    public ReverseRule {
      fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }

  /**
   * One target value: a field of the received message ({@code from}, vocabulary in {@link
   * ReverseField}) or a constant ({@code value}); {@code map} names a value map under {@code
   * valueMaps}, read backwards.
   */
  public record ReverseFieldRule(String from, String value, String map, Unmapped unmapped) {
    public ReverseFieldRule {
      unmapped = unmapped == null ? Unmapped.ERROR : unmapped;
    }
  }

  /**
   * One repeated element ({@code each}) per attachment of the received message, with its fields.
   */
  public record ReverseAttachmentRule(String each, Map<String, ReverseFieldRule> fields) {
    public ReverseAttachmentRule {
      fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }
}
