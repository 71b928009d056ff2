package dk.sektorbro.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Generated records for the benchmark: the shipped social-psychiatry sample with a unique record
 * id, a varying synthetic citizen (birth dates in 2040–2057: no living person) and varying text.
 */
final class RecordGenerator {

  static final String SOURCE = "nordby-socialpsykiatri";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectNode template;

  RecordGenerator(Path testMessages) throws IOException {
    this.template = (ObjectNode) JSON.readTree(testMessages.resolve(SOURCE).resolve("status-efter-udskrivelse.json").toFile());
  }

  byte[] record(int i) {
    ObjectNode record = template.deepCopy();
    record.put("journalpostId", "BENCH-" + i);
    ObjectNode citizen = (ObjectNode) record.get("borger");
    int day = 1 + i % 28;
    int month = 1 + (i / 28) % 12;
    int year = 40 + i % 18;
    citizen.put("cpr", String.format("%02d%02d%02d-%d%03d", day, month, year, 5 + i % 4, i % 1000));
    record.put("tekst", template.get("tekst").asText() + "\n\nGenereret testnotat nr. " + i + ".");
    try {
      return JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
