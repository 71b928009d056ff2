package dk.sektorbro.benchmarks;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.mapping.CanonicalRecordRules;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.mapping.RecordMapper;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.MessageIds;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The floor under the pipeline: HAPI building and encoding the same messages, nothing else. */
final class Floor {

  private Floor() {}

  static FloorResult measure(RecordGenerator generator, Path mappings, int records) {
    RecordMapper mapper = new RecordMapper(new CanonicalRecordRules());
    var mapping = MappingRegistry.load(mappings).get(RecordGenerator.SOURCE);
    List<CanonicalRecord> canonical = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      canonical.add(((MappingOutcome.Mapped) mapper.map(mapping, generator.record(i))).record());
    }
    CareCommunicationBuilder builder =
        new CareCommunicationBuilder(Clock.systemDefaultZone(), "https://sektorbro.local/fhir");
    FhirMessageCodec codec = new FhirMessageCodec(FhirContext.forR4Cached());
    for (int i = 0; i < Math.min(500, records); i++) { // warm-up
      codec.encode(
          builder.build(canonical.get(i), MessageIds.generate(UUID::randomUUID, 0)),
          FhirFormat.XML);
    }
    List<Long> nanos = new ArrayList<>(records);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (CanonicalRecord record : canonical) {
      long t = System.nanoTime();
      codec.encode(
          builder.build(record, MessageIds.generate(UUID::randomUUID, record.attachments().size())),
          FhirFormat.XML);
      nanos.add(System.nanoTime() - t);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / records;
    return new FloorResult(
        records / seconds,
        Stats.percentile(nanos, 50) / 1e6,
        Stats.percentile(nanos, 99) / 1e6,
        cpuMillis);
  }
}
