package dk.sektorbro.gateway.cluster;

import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * What must be the same on every node of a cluster, as this node has it: the schema its code was
 * built for (its newest migration) and its mapping files (a digest of their names and bytes). Each
 * heartbeat publishes both, so a node of another version, or one started with other mappings (a
 * source's record then mapped one way on one node and another way on the next), is visible in the
 * cluster view and health and logged, instead of going unnoticed (docs/cluster.md).
 */
@Component
public class NodeConfiguration {

  private static final Pattern MIGRATION =
      Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*\\.(sql|class)");

  private final String schema;
  private final String mappings;

  @Autowired
  public NodeConfiguration(GatewayProperties properties) {
    this(newestMigration(), mappingsDigest(properties.mappingsDir()));
  }

  NodeConfiguration(String schema, String mappings) {
    this.schema = schema;
    this.mappings = mappings;
  }

  /** The version of this node's newest migration (SQL or Java), e.g. {@code 47.1}. */
  public String schema() {
    return schema;
  }

  /** The first 16 hex digits of the SHA-256 over the mapping files' names and bytes. */
  public String mappings() {
    return mappings;
  }

  static String newestMigration() {
    try {
      Resource[] found =
          new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/V*");
      return Arrays.stream(found)
          .map(Resource::getFilename)
          .map(name -> name == null ? null : MIGRATION.matcher(name))
          .filter(m -> m != null && m.matches())
          .map(m -> m.group(1).replace('_', '.'))
          .max(NodeConfiguration::compareVersions)
          .orElse("none");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int compareVersions(String a, String b) {
    int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
    int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
    return Arrays.compare(x, y);
  }

  static String mappingsDigest(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> mappingFiles =
          files
              .filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
              .sorted(Comparator.comparing(p -> p.getFileName().toString()))
              .toList();
      MessageDigest digest = Sha256.newDigest();
      for (Path file : mappingFiles) {
        digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Files.readAllBytes(file));
        digest.update((byte) 0);
      }
      return Sha256.hex(digest).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
