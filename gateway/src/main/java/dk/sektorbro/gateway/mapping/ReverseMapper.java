package dk.sektorbro.gateway.mapping;

import dk.sektorbro.gateway.mapping.MappingDefinition.ReverseAttachmentRule;
import dk.sektorbro.gateway.mapping.MappingDefinition.ReverseFieldRule;
import dk.sektorbro.gateway.mapping.MappingDefinition.ReverseRule;
import java.util.Map;
import java.util.Optional;

/**
 * A received message in a source system's own format, as its mapping's {@code reverse:} section
 * says. Pure: values in, bytes out. A value the message lacks is left out of the output; a code the
 * value map cannot translate back is an error (unless {@code unmapped: keep}).
 */
public final class ReverseMapper {

  private ReverseMapper() {}

  public static byte[] write(MappingDefinition mapping, ReverseInput input) {
    ReverseRule reverse = mapping.reverse();
    if (reverse == null) {
      throw new ReverseMappingException(
          "mapping " + mapping.source() + " declares no reverse section");
    }
    TreeWriter out =
        mapping.format() == RecordFormat.JSON ? new JsonTreeWriter() : new XmlTreeWriter();
    write(mapping, reverse.fields(), input.fields(), out, null);
    ReverseAttachmentRule attachments = reverse.attachments();
    if (attachments != null) {
      for (Map<String, String> attachment : input.attachments()) {
        Object element = out.addRepeated(attachments.each());
        write(mapping, attachments.fields(), attachment, out, element);
      }
    }
    return out.bytes();
  }

  private static void write(
      MappingDefinition mapping,
      Map<String, ReverseFieldRule> rules,
      Map<String, String> values,
      TreeWriter out,
      Object context) {
    rules.forEach(
        (path, rule) ->
            value(mapping, path, rule, values).ifPresent(v -> out.set(context, path, v)));
  }

  private static Optional<String> value(
      MappingDefinition mapping, String path, ReverseFieldRule rule, Map<String, String> values) {
    String value = rule.value() != null ? rule.value() : values.get(rule.from());
    if (value == null || value.isBlank() || rule.map() == null) {
      return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
    Map<String, String> map = mapping.valueMaps().getOrDefault(rule.map(), Map.of());
    // Read backwards: the first source code that maps to this value is the source's code for it.
    Optional<String> code =
        map.entrySet().stream()
            .filter(e -> e.getValue().equals(value))
            .map(Map.Entry::getKey)
            .filter(k -> !"*".equals(k))
            .findFirst();
    if (code.isEmpty() && rule.unmapped() != MappingDefinition.Unmapped.KEEP) {
      // Codes are MedCom/gateway codes, never personal data: safe to name.
      throw new ReverseMappingException(
          "reverse." + path + ": '" + value + "' has no source code in value map " + rule.map());
    }
    return Optional.of(code.orElse(value));
  }

  /** Where the reverse mapping writes: a JSON tree or an XML document. */
  interface TreeWriter {
    /**
     * Sets a value at a path, relative to {@code context} (an element made by addRepeated) when
     * given.
     */
    void set(Object context, String path, String value);

    /** Adds one more repeated element at the path and returns it. */
    Object addRepeated(String path);

    byte[] bytes();
  }

  /**
   * The message cannot be written in the source's format; the FHIR message is still handed over.
   */
  public static class ReverseMappingException extends RuntimeException {
    public ReverseMappingException(String message) {
      super(message);
    }
  }
}
