package dk.sektorbro.gateway.testscript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** test-messages/testscripts/expected-results.txt: "script-id STATUS" per line, # comments. */
final class ExpectedResults {

  private ExpectedResults() {}

  static Map<String, ScriptResult.Status> read(Path file) {
    Map<String, ScriptResult.Status> expected = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] parts = trimmed.split("\\s+");
        expected.put(parts[0], ScriptResult.Status.valueOf(parts[1]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return expected;
  }
}
