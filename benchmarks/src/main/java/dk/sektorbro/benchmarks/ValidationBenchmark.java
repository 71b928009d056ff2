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
import dk.sektorbro.gateway.validation.ConformanceChains;
import dk.sektorbro.gateway.validation.ConformanceMessageValidator;
import dk.sektorbro.gateway.validation.ConformanceProperties;
import dk.sektorbro.gateway.validation.ConformanceProperties.Mode;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Validation alone, one thread, in CPU time (so the figures hold on a machine shared with other
 * work): build+encode (the floor), the reference validator (HAPI) and the fast validator, per
 * message, on N generated records (unique ids, citizens and texts), after a warm-up.
 *
 * <p>{@code java -cp benchmarks/target/sektorbro-benchmarks.jar
 * -Dloader.main=dk.sektorbro.benchmarks.ValidationBenchmark
 * org.springframework.boot.loader.launch.PropertiesLauncher --records=2000
 * --packages=../shared/medcom/packages} ({@code --summary=FILE}: the figures as a properties file)
 */
public final class ValidationBenchmark {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    PipelineBenchmark.Options options = PipelineBenchmark.Options.parse(args);
    if (options.packages() == null) {
      throw new IllegalArgumentException(
          "--packages=DIR is required: validation against the MedCom chain is what is measured");
    }
    FhirContext fhir = FhirContext.forR4Cached();
    long start = System.nanoTime();
    ConformanceChains chains =
        ConformanceChains.shared(
            fhir,
            new ConformanceProperties(
                options.packages(), options.mappings().resolveSibling("profiles")));
    double loadSeconds = (System.nanoTime() - start) / 1e9;
    List<String> messages = messages(options, fhir);

    List<Long> floor = new ArrayList<>();
    CareCommunicationBuilder builder =
        new CareCommunicationBuilder(Clock.systemDefaultZone(), "https://sektorbro.local/fhir");
    FhirMessageCodec codec = new FhirMessageCodec(fhir);
    List<CanonicalRecord> records = records(options);
    for (int pass = 0; pass < 2; pass++) {
      floor.clear();
      for (CanonicalRecord record : records) {
        long t = THREADS.getCurrentThreadCpuTime();
        codec.encode(
            builder.build(
                record, MessageIds.generate(UUID::randomUUID, record.attachments().size())),
            FhirFormat.XML);
        floor.add(THREADS.getCurrentThreadCpuTime() - t);
      }
    }
    long warmStart = System.nanoTime();
    ConformanceMessageValidator reference =
        new ConformanceMessageValidator(chains, Mode.REFERENCE, 0, 1, null);
    reference.validate("CareCommunication", messages.get(0), "XML");
    double warmSeconds = (System.nanoTime() - warmStart) / 1e9;
    List<Long> referenceCpu =
        run(reference, messages.subList(0, Math.min(messages.size(), options.records() / 4)), 2);
    ConformanceMessageValidator fast =
        new ConformanceMessageValidator(chains, Mode.FAST, 0, 10_000, null);
    List<Long> fastCpu = run(fast, messages, 2);

    System.out.printf(
        Locale.ROOT,
        "validation benchmark: %d messages (XML, CareCommunication 5.0.2 chain), one thread, CPU time%n",
        messages.size());
    System.out.printf(
        Locale.ROOT,
        "chains loaded in %.1f s, first validation (warm-up) %.1f s%n",
        loadSeconds,
        warmSeconds);
    Summary summary = new Summary();
    print("build + encode (floor)", floor, "floor", summary);
    print("reference (HAPI)", referenceCpu, "reference", summary);
    print("fast", fastCpu, "fast", summary);
    summary.writeTo(options.summary());
  }

  private static List<Long> run(
      ConformanceMessageValidator validator, List<String> messages, int passes) {
    List<Long> cpu = new ArrayList<>();
    int invalid = 0;
    for (int pass = 0; pass < passes; pass++) {
      cpu.clear();
      invalid = 0;
      for (String message : messages) {
        long t = THREADS.getCurrentThreadCpuTime();
        ValidationReport report = validator.validate("CareCommunication", message, "XML");
        cpu.add(THREADS.getCurrentThreadCpuTime() - t);
        invalid += report.valid() ? 0 : 1;
      }
    }
    if (invalid > 0) {
      throw new IllegalStateException(invalid + " generated messages are invalid");
    }
    return cpu;
  }

  private static void print(String what, List<Long> nanos, String name, Summary summary) {
    double mean = nanos.stream().mapToLong(Long::longValue).average().orElse(0) / 1000;
    summary.put(name + "_cpu_mean_us", mean);
    summary.put(name + "_cpu_p50_us", Stats.percentile(nanos, 50) / 1000.0);
    summary.put(name + "_cpu_p99_us", Stats.percentile(nanos, 99) / 1000.0);
    System.out.printf(
        Locale.ROOT,
        "%-24s mean %8.0f µs  p50 %8.0f µs  p99 %8.0f µs  (%d messages, %.0f/s per core)%n",
        what,
        mean,
        Stats.percentile(nanos, 50) / 1000.0,
        Stats.percentile(nanos, 99) / 1000.0,
        nanos.size(),
        1e6 / mean);
  }

  private static List<CanonicalRecord> records(PipelineBenchmark.Options options)
      throws IOException {
    RecordGenerator generator =
        new RecordGenerator(options.mappings().resolveSibling("test-messages"));
    RecordMapper mapper = new RecordMapper(new CanonicalRecordRules());
    var mapping = MappingRegistry.load(options.mappings()).get(RecordGenerator.SOURCE);
    List<CanonicalRecord> out = new ArrayList<>();
    for (int i = 0; i < options.records(); i++) {
      out.add(((MappingOutcome.Mapped) mapper.map(mapping, generator.record(i))).record());
    }
    return out;
  }

  private static List<String> messages(PipelineBenchmark.Options options, FhirContext fhir)
      throws IOException {
    CareCommunicationBuilder builder =
        new CareCommunicationBuilder(Clock.systemDefaultZone(), "https://sektorbro.local/fhir");
    FhirMessageCodec codec = new FhirMessageCodec(fhir);
    return records(options).stream()
        .map(
            r ->
                codec.encode(
                    builder.build(r, MessageIds.generate(UUID::randomUUID, r.attachments().size())),
                    FhirFormat.XML))
        .toList();
  }

  private ValidationBenchmark() {}
}
