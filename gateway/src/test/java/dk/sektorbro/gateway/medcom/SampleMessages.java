package dk.sektorbro.gateway.medcom;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.mapping.CanonicalRecordRules;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;

/** The valid samples in test-messages/, through the real mappings and the real builder. */
public final class SampleMessages {

  public static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T09:30:00Z"), ZoneId.of("Europe/Copenhagen"));

  private static final MappingRegistry MAPPINGS =
      new MappingRegistry(
          new GatewayProperties(
              GatewayIntegrationTest.REPO.resolve("data"),
              GatewayIntegrationTest.REPO.resolve("mappings"),
              null,
              null,
              null));
  private static final RecordMapper MAPPER = new RecordMapper(new CanonicalRecordRules());

  private SampleMessages() {}

  /**
   * Every file directly in test-messages/&lt;source&gt;/ of a source with a mapping (the invalid/
   * folders are not valid samples; test-messages/testscripts/ holds TestScript scenarios).
   */
  public static List<Path> validSamples() {
    List<Path> samples = new ArrayList<>();
    try (Stream<Path> sources = Files.list(GatewayIntegrationTest.TEST_MESSAGES)) {
      for (Path source :
          sources
              .filter(Files::isDirectory)
              .filter(s -> MAPPINGS.find(s.getFileName().toString()).isPresent())
              .sorted()
              .toList()) {
        try (Stream<Path> files = Files.list(source)) {
          files.filter(Files::isRegularFile).sorted().forEach(samples::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return samples;
  }

  public static CanonicalRecord record(Path sample) {
    return record(sample, sample.getParent().getFileName().toString());
  }

  /** A record kept outside its source's folder (e.g. test-messages/testscripts/records/). */
  public static CanonicalRecord record(Path sample, String source) {
    try {
      MappingOutcome outcome =
          MAPPINGS.find(source).map(m -> MAPPER.map(m, read(sample))).orElseThrow();
      assertThat(outcome)
          .as("mapping of %s", sample.getFileName())
          .isInstanceOf(MappingOutcome.Mapped.class);
      return ((MappingOutcome.Mapped) outcome).record();
    } catch (UncheckedIOException e) {
      throw e;
    }
  }

  public static Bundle bundle(CanonicalRecord record) {
    MessageIds ids = MessageIds.generate(UUID::randomUUID, record.attachments().size());
    return new CareCommunicationBuilder(CLOCK, "https://sektorbro.local/fhir").build(record, ids);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
