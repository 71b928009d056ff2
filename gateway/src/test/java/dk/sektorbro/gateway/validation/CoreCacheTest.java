package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
    CoreCache.Snapshot read = cache.readCoreFile().orElseThrow();

    assertThat(read.structurePackage()).isEqualTo(inMemory.structurePackage()).isNotNull();
    IParser json = FHIR.newJsonParser();
    for (int map = 0; map < 3; map++) {
      List<IBaseResource> expected = inMemory.resources().get(map);
      List<IBaseResource> actual = read.resources().get(map);
      assertThat(actual).hasSameSizeAs(expected).isNotEmpty();
      for (int i = 0; i < expected.size(); i += 7) {
        assertThat(json.encodeResourceToString(actual.get(i)))
            .isEqualTo(json.encodeResourceToString(expected.get(i)));
      }
    }
    // The JVM's core is loaded: it keeps what it has.
    assertThat(CoreCache.install(core, FHIR, read.resources(), read.structurePackage())).isFalse();
    assertThat(core.fetchStructureDefinition("Patient"))
        .isSameAs(core.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Patient"));

    byte[] whole = Files.readAllBytes(cache.coreFile());
    Files.write(cache.coreFile(), java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
    assertThat(cache.readCoreFile()).isEmpty();
    Files.writeString(
        cache.coreFile(), whole.length > 0 ? "{\"format\":1,\"hapi\":\"0.1\"}\n{}\n{}\n{}\n" : "");
    assertThat(cache.readCoreFile()).isEmpty();
  }
}
