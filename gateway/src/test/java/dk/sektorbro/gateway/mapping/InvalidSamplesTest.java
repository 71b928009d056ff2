package dk.sektorbro.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.mapping.MappingOutcome.Invalid;
import dk.sektorbro.gateway.mapping.MappingOutcome.Malformed;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden files of the bad samples: each file in test-messages/&lt;source&gt;/invalid/ has its
 * expected outcome in invalid/expected/ (malformed with its reason, or invalid with every issue:
 * field, source path, rule, message), so a reason is written down once, next to the sample. Run
 * with -Dsektorbro.regenerate-expected=true to rewrite them after a deliberate change, and review
 * the diff.
 */
class InvalidSamplesTest {

  private static final Map<String, MappingDefinition> MAPPINGS =
      MappingRegistry.load(TestFiles.MAPPINGS);
  private static final RecordMapper MAPPER = new RecordMapper(new CanonicalRecordRules());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  static List<Path> invalidSamples() {
    return MAPPINGS.keySet().stream()
        .sorted()
        .filter(s -> Files.isDirectory(TestFiles.TEST_MESSAGES.resolve(s).resolve("invalid")))
        .flatMap(s -> TestFiles.invalidSamples(s).stream())
        .toList();
  }

  @ParameterizedTest
  @MethodSource("invalidSamples")
  void everyBadSample_isRefusedAsItsExpectedFileSays(Path sample) throws IOException {
    String source = sample.getParent().getParent().getFileName().toString();
    MappingOutcome outcome = MAPPER.map(MAPPINGS.get(source), TestFiles.read(sample));
    assertThat(outcome).as(sample.toString()).isInstanceOfAny(Malformed.class, Invalid.class);
    String actual = JSON.writeValueAsString(describe(outcome)) + "\n";
    Path expected = expectedFile(sample);
    if (Boolean.getBoolean("sektorbro.regenerate-expected")) {
      Files.createDirectories(expected.getParent());
      Files.writeString(expected, actual);
    }
    assertThat(expected).as("expected outcome for " + sample.getFileName()).exists();
    assertThat(JSON.readTree(actual))
        .as("outcome differs from " + expected)
        .isEqualTo(JSON.readTree(expected.toFile()));
  }

  /** invalid/expected/&lt;name&gt;.json beside the sample (also for XML samples). */
  static Path expectedFile(Path sample) {
    String name = sample.getFileName().toString();
    return sample
        .getParent()
        .resolve("expected")
        .resolve(name.substring(0, name.lastIndexOf('.')) + ".json");
  }

  private static ObjectNode describe(MappingOutcome outcome) {
    ObjectNode node = JSON.createObjectNode();
    if (outcome instanceof Malformed malformed) {
      node.put("outcome", "malformed").put("reason", malformed.reason());
    } else if (outcome instanceof Invalid invalid) {
      node.put("outcome", "invalid").put("recordId", invalid.recordId());
      ArrayNode issues = node.putArray("issues");
      for (MappingIssue issue : invalid.issues()) {
        issues
            .addObject()
            .put("field", issue.field())
            .put("sourcePath", issue.sourcePath())
            .put("rule", issue.rule())
            .put("message", issue.message());
      }
    }
    return node;
  }
}
