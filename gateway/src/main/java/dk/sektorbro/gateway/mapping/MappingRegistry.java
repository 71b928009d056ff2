package dk.sektorbro.gateway.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dk.sektorbro.gateway.platform.ConfiguredSources;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The configured source systems: one {@code <source>.yaml} in the mappings folder each. Every file
 * is checked when the gateway starts; a broken mapping stops the start with a clear reason rather
 * than failing records later.
 */
@Component
public class MappingRegistry implements ConfiguredSources {

  private static final Logger log = LoggerFactory.getLogger(MappingRegistry.class);

  private static final ObjectMapper YAML =
      JsonMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
          .build();

  private final Map<String, MappingDefinition> mappings;

  public MappingRegistry(GatewayProperties properties) {
    this.mappings = load(properties.mappingsDir());
    log.info("mappings loaded sources={} dir={}", mappings.keySet(), properties.mappingsDir());
    mappings.values().stream()
        .filter(m -> m.senders() == null)
        .forEach(
            m ->
                log.warn(
                    "mapping source={} has no senders: list; its records' sender SOR is not"
                        + " checked against the organisation it sends for (docs/addressing.md)",
                    m.source()));
  }

  public Optional<MappingDefinition> find(String source) {
    return Optional.ofNullable(mappings.get(source));
  }

  @Override
  public boolean contains(String source) {
    return mappings.containsKey(source);
  }

  public Collection<MappingDefinition> all() {
    return mappings.values();
  }

  public static Map<String, MappingDefinition> load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidMappingException("mappings folder not found: " + dir.toAbsolutePath());
    }
    Map<String, MappingDefinition> loaded = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(MappingRegistry::isMappingFile).sorted().toList()) {
        MappingDefinition mapping = read(file);
        loaded.put(mapping.source(), mapping);
      }
    } catch (IOException e) {
      throw new InvalidMappingException("mappings folder cannot be read: " + dir.toAbsolutePath());
    }
    return Map.copyOf(loaded);
  }

  static MappingDefinition read(Path file) {
    String fileName = file.getFileName().toString();
    String expectedSource = fileName.substring(0, fileName.lastIndexOf('.'));
    MappingDefinition mapping;
    try {
      mapping = YAML.readValue(file.toFile(), MappingDefinition.class);
    } catch (IOException e) {
      throw new InvalidMappingException("mapping " + fileName + " cannot be read: " + firstLine(e));
    }
    List<String> problems = new MappingChecker(mapping, expectedSource).problems();
    if (!problems.isEmpty()) {
      throw new InvalidMappingException(
          "mapping " + fileName + " is invalid: " + String.join("; ", problems));
    }
    return mapping;
  }

  private static boolean isMappingFile(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  private static String firstLine(IOException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A mapping file that cannot be used; stops the start. */
  public static class InvalidMappingException extends RuntimeException {
    public InvalidMappingException(String message) {
      super(message);
    }
  }
}
