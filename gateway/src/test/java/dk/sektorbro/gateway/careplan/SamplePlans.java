package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.mapping.CanonicalRecordRules;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The plan samples in test-messages/nordby-planer (the municipal plan module) and the care-course
 * plan in test-messages/region-nord-psykiatri-planer (it goes from the hospital to the
 * municipality, domain.md §4), mapped and assembled as in production.
 */
public final class SamplePlans {

  static final String SOURCE = "nordby-planer";
  static final String HOSPITAL_SOURCE = "region-nord-psykiatri-planer";
  static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T09:30:00Z"), ZoneId.of("Europe/Copenhagen"));
  public static final PlanDocumentBuilder BUILDER =
      new PlanDocumentBuilder(CLOCK, "https://sektorbro.test/fhir", UUID::randomUUID);

  private static final RecordMapper MAPPER = new RecordMapper(new CanonicalRecordRules());

  private SamplePlans() {}

  /** Sample file name per plan kind (the KIP has two versions). */
  public static List<String> oneOfEachKind() {
    return List.of(
        "kip-v1.json",
        "kriseplan.json",
        "udskrivningsaftale.json",
        "koordinationsplan.json",
        "plejeforloebsplan.json");
  }

  static Path path(String name) {
    return TestFiles.TEST_MESSAGES.resolve(source(name)).resolve(name);
  }

  /** The source whose sample {@code name} is: the municipal plan module unless only the EPJ's. */
  static String source(String name) {
    return Files.exists(TestFiles.TEST_MESSAGES.resolve(SOURCE).resolve(name))
        ? SOURCE
        : HOSPITAL_SOURCE;
  }

  static MappingOutcome.Mapped mapped(String name) {
    return mapped(name, UnaryOperator.identity());
  }

  /** The sample with its JSON text edited first (e.g. a value a reader must see escaped). */
  static MappingOutcome.Mapped mapped(String name, UnaryOperator<String> edit) {
    var mapping = MappingRegistry.load(TestFiles.REPO.resolve("mappings")).get(source(name));
    MappingOutcome outcome;
    try {
      String json = Files.readString(path(name), StandardCharsets.UTF_8);
      outcome = MAPPER.map(mapping, edit.apply(json).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(outcome)
        .as("mapping of %s: %s", name, outcome)
        .isInstanceOf(MappingOutcome.Mapped.class);
    return (MappingOutcome.Mapped) outcome;
  }

  public static Plan plan(String name) {
    return plan(name, UnaryOperator.identity());
  }

  static Plan plan(String name, UnaryOperator<String> edit) {
    MappingOutcome.Mapped mapped = mapped(name, edit);
    PlanAssembler.Result result =
        new PlanAssembler().assemble(source(name), mapped.record(), mapped.plan());
    assertThat(result)
        .as("plan of %s: %s", name, result)
        .isInstanceOf(PlanAssembler.Result.Assembled.class);
    return ((PlanAssembler.Result.Assembled) result).plan();
  }
}
