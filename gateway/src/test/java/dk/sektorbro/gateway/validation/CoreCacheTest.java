package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HAPI's R4 core definitions in the conformance cache: what is written reads back as the same
 * resources (same canonical URLs, same content, HAPI's package mark), a foreign or cut-short file
 * is refused, and a core HAPI holds already is never replaced. Setting the maps into a new JVM's
 * core is what every start after the first does (ReadyBenchmark, docs/benchmarks.md); a test JVM
 * has its core loaded once, so here the file is compared with the core in memory.
 */
// Loads HAPI conformance data from the packages or the R4 core (tens of seconds under load):
// verify's tier, not the ./mvnw test inner loop.
@Tag("integration")
class CoreCacheTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @TempDir Path temp;

  @Test
  void theCoreReadsBackAsHapiHoldsIt_andALiveCoreIsNeverReplaced() throws Exception {
    DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(FHIR);
    core.fetchAllStructureDefinitions();
    core.fetchCodeSystem("http://hl7.org/fhir/administrative-gender");
    CoreCache.Snapshot inMemory = CoreCache.snapshot(core, FHIR).orElseThrow();
    ConformanceCache cache = new ConformanceCache(temp, FHIR);

    cache.writeCore(core);
    List<LazyCoreMap> read = cache.readCoreFile().orElseThrow();

    // Nothing is parsed until asked for.
    assertThat(read).hasSize(3).allMatch(m -> m.parsed() == 0);
    IParser json = FHIR.newJsonParser();
    List<Map<String, IBaseResource>> held = CoreCache.maps(core).orElseThrow();
    for (int map = 0; map < 3; map++) {
      Map<String, IBaseResource> expected = held.get(map);
      LazyCoreMap actual = read.get(map);
      // The same keys in the same iteration order as HAPI's own map (fetch-all iterates it).
      assertThat(List.copyOf(actual.keySet()))
          .isNotEmpty()
          .isEqualTo(List.copyOf(expected.keySet()));
      int i = 0;
      for (String url : expected.keySet()) {
        if (i++ % 7 != 0) {
          continue;
        }
        IBaseResource resource = actual.get(url);
        assertThat(json.encodeResourceToString(resource))
            .isEqualTo(json.encodeResourceToString(expected.get(url)));
        assertThat(resource.getIdElement().getValue())
            .isEqualTo(expected.get(url).getIdElement().getValue());
        assertThat(resource.getUserData(CoreCache.PACKAGE))
            .isEqualTo(expected.get(url).getUserData(CoreCache.PACKAGE));
        assertThat(actual.get(url)).isSameAs(resource);
      }
      assertThat(actual.parsed()).isEqualTo((expected.size() + 6) / 7);
    }
    assertThat(
            read.get(0)
                .get("http://hl7.org/fhir/StructureDefinition/Patient")
                .getUserData(CoreCache.PACKAGE))
        .isEqualTo(inMemory.structurePackage())
        .isNotNull();
    // The JVM's core is loaded: it keeps what it has.
    assertThat(CoreCache.install(core, read)).isFalse();
    assertThat(core.fetchStructureDefinition("Patient"))
        .isSameAs(core.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Patient"));

    byte[] whole = Files.readAllBytes(cache.coreFile());
    Files.write(cache.coreFile(), Arrays.copyOf(whole, whole.length * 2 / 3));
    assertThat(cache.readCoreFile()).isEmpty();
    // Cut at the end of a line: only the end mark is missing.
    Files.write(cache.coreFile(), Arrays.copyOf(whole, whole.length - "end\n".length()));
    assertThat(cache.readCoreFile()).isEmpty();
    Files.writeString(
        cache.coreFile(), whole.length > 0 ? "{\"format\":2,\"hapi\":\"0.1\"}\n{}\n{}\n{}\n" : "");
    assertThat(cache.readCoreFile()).isEmpty();
  }

  @Test
  void concurrentFirstUse_parsesOnce_andEveryThreadGetsTheSameResource() throws Exception {
    byte[] patient =
        FHIR.newJsonParser()
            .encodeResourceToString(
                new StructureDefinition()
                    .setUrl("http://example.org/StructureDefinition/x")
                    .setName("X"))
            .getBytes(StandardCharsets.UTF_8);
    LazyCoreMap map =
        LazyCoreMap.builder(FHIR, CoreCache.PACKAGE, "pkg")
            .add("http://example.org/StructureDefinition/x", "", patient)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Callable<IBaseResource>> gets =
          Collections.nCopies(
              16,
              () -> {
                go.await();
                return map.get("http://example.org/StructureDefinition/x");
              });
      List<Future<IBaseResource>> futures = gets.stream().map(pool::submit).toList();
      go.countDown();
      IBaseResource first = futures.get(0).get();
      for (Future<IBaseResource> f : futures) {
        assertThat(f.get()).isSameAs(first);
      }
      assertThat(map.parsed()).isEqualTo(1);
      assertThat(first.getUserData(CoreCache.PACKAGE)).isEqualTo("pkg");
      assertThat(map.get("http://example.org/StructureDefinition/y")).isNull();
      assertThat(map.values()).containsExactly(first);
      // A map like any other: equal to (and hashed as) an eager map of the same entries.
      Map<String, IBaseResource> eager = Map.of("http://example.org/StructureDefinition/x", first);
      assertThat(map.equals(eager)).isTrue();
      assertThat(eager.equals(map)).isTrue();
      assertThat(map.hashCode()).isEqualTo(eager.hashCode());
      assertThat(map.entrySet()).isEqualTo(eager.entrySet());
    } finally {
      pool.shutdownNow();
    }
  }
}
