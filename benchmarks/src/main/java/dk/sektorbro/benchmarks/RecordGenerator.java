package dk.sektorbro.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.consent.ConsentInput;
import dk.sektorbro.gateway.consent.ConsentRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated records for the benchmark: the shipped social-psychiatry sample with a unique record
 * id, a varying synthetic citizen (birth dates in 2040–2057: no living person) and varying text.
 */
final class RecordGenerator {

  static final String SOURCE = "nordby-socialpsykiatri";

  /** The template's recipient, Region Nord Psykiatri P3. */
  static final String RECIPIENT_SOR = "990031000016002";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectNode template;

  RecordGenerator(Path testMessages) throws IOException {
    this.template =
        (ObjectNode)
            JSON.readTree(
                testMessages.resolve(SOURCE).resolve("status-efter-udskrivelse.json").toFile());
  }

  byte[] record(int i) {
    ObjectNode record = template.deepCopy();
    record.put("journalpostId", "BENCH-" + i);
    ObjectNode citizen = (ObjectNode) record.get("borger");
    citizen.put("cpr", cpr(i));
    record.put("tekst", template.get("tekst").asText() + "\n\nGenereret testnotat nr. " + i + ".");
    try {
      return JSON.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A consent per generated citizen that covers what the template discloses, given yesterday. */
  void recordConsents(ConsentRegistry registry, int records) {
    String givenAt =
        OffsetDateTime.now()
            .minusDays(1)
            .truncatedTo(ChronoUnit.SECONDS)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    List<ConsentInput> consents = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      consents.add(
          new ConsentInput(
              null,
              cpr(i).replace("-", ""),
              "consent",
              new ConsentInput.GivenBy("citizen", null, null),
              List.of(new ConsentInput.Recipient("organisation", RECIPIENT_SOR, null, null, null)),
              List.of("social-conditions", "current-treatment"),
              "care-coordination",
              givenAt,
              null,
              "Benchmark",
              null,
              "written",
              null));
    }
    ConsentRegistry.ImportResult result = registry.importAll(consents, "benchmark");
    if (!result.issues().isEmpty()) {
      throw new IllegalStateException("benchmark consents refused: " + result.issues().get(0));
    }
  }

  /** Synthetic CPR: birth years 2040-2057 (century digit 5-8), so no living person. */
  private static String cpr(int i) {
    int day = 1 + i % 28;
    int month = 1 + (i / 28) % 12;
    int year = 40 + i % 18;
    return String.format("%02d%02d%02d-%d%03d", day, month, year, 5 + i % 4, i % 1000);
  }
}
