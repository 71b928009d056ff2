package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk conformance cache on the real Acknowledgement packages (the smallest chain): written
 * at the first load, read at the next with the same verdicts as from the packages, rebuilt when the
 * file is corrupt, and keyed by the packages' content.
 */
// Loads HAPI conformance data from the packages or the R4 core (tens of seconds under load):
// verify's tier, not the ./mvnw test inner loop.
@Tag("integration")
class ConformanceCacheTest {

  private static final ChainDefinition ACK =
      ChainDefinition.ALL.stream()
          .filter(d -> d.messageType().equals(ChainDefinition.ACKNOWLEDGEMENT))
          .findFirst()
          .orElseThrow();

  @TempDir Path temp;

  // The JVM's R4 core from the suite's cache (if the build has written it): the core is loaded once
  // per JVM, and this test is about the chains' files, not about paying HAPI's XML load again.
  @BeforeAll
  static void coreFromTheSuitesCache() {
    if (MedComChains.CACHE != null) {
      new ConformanceCache(MedComChains.CACHE, FhirContext.forR4Cached())
          .readCore(new DefaultProfileValidationSupport(FhirContext.forR4Cached()));
    }
  }

  @Test
  void written_readBack_sameVerdicts_andACorruptFileIsRebuilt() throws Exception {
    Path cache = temp.resolve("cache");
    ConformanceChains fromPackages = load(cache);
    assertThat(fromPackages.loadedFrom())
        .isEqualTo(Map.of(ChainDefinition.ACKNOWLEDGEMENT, "packages"));
    Path file = single(cache);

    ConformanceChains fromCache = load(cache);
    assertThat(fromCache.loadedFrom()).isEqualTo(Map.of(ChainDefinition.ACKNOWLEDGEMENT, "cache"));
    assertThat(fromCache.officialExamples(ChainDefinition.ACKNOWLEDGEMENT))
        .isEqualTo(fromPackages.officialExamples(ChainDefinition.ACKNOWLEDGEMENT))
        .isNotEmpty();
    assertThat(fromCache.forType(ChainDefinition.ACKNOWLEDGEMENT).packages())
        .isEqualTo(fromPackages.forType(ChainDefinition.ACKNOWLEDGEMENT).packages());

    String valid = fromPackages.officialExamples(ChainDefinition.ACKNOWLEDGEMENT).get(0);
    String invalid = valid.replaceFirst("\"code\"\\s*:\\s*\"", "\"code\":\"not-a-code-");
    for (String message : List.of(valid, invalid)) {
      ValidationReport expected =
          fromPackages.forType(ChainDefinition.ACKNOWLEDGEMENT).validate(message);
      assertThat(fromCache.forType(ChainDefinition.ACKNOWLEDGEMENT).validate(message).issues())
          .isEqualTo(expected.issues());
    }
    assertThat(fromPackages.forType(ChainDefinition.ACKNOWLEDGEMENT).validate(invalid).valid())
        .isFalse();

    // A file cut short (a crash while copying it by hand, a full disk) is ignored and rebuilt.
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    assertThat(load(cache).loadedFrom()).containsEntry(ChainDefinition.ACKNOWLEDGEMENT, "packages");
    assertThat(single(cache)).isEqualTo(file);
    assertThat(Files.readAllBytes(file)).isEqualTo(whole);
    assertThat(load(cache).loadedFrom()).containsEntry(ChainDefinition.ACKNOWLEDGEMENT, "cache");
  }

  @Test
  void theKeyIsThePackagesContent_notWhereTheyAre() throws Exception {
    List<Path> original = ACK.packageFiles().stream().map(MedComChains.PACKAGES::resolve).toList();
    Path copy = Files.createDirectories(temp.resolve("copy"));
    for (Path file : original) {
      Files.copy(file, copy.resolve(file.getFileName()));
    }
    List<Path> copied = ACK.packageFiles().stream().map(copy::resolve).toList();
    String key = ConformanceCache.key(original);
    assertThat(ConformanceCache.key(copied)).isEqualTo(key);

    Files.write(copied.get(1), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
    assertThat(ConformanceCache.key(copied)).isNotEqualTo(key);

    List<Path> anotherSet =
        ChainDefinition.ALL.get(0).packageFiles().stream()
            .map(MedComChains.PACKAGES::resolve)
            .toList();
    assertThat(ConformanceCache.key(anotherSet)).isNotEqualTo(key);
  }

  private static ConformanceChains load(Path cache) {
    return ConformanceChains.load(
        FhirContext.forR4Cached(),
        new ConformanceProperties(
            MedComChains.PACKAGES, GatewayIntegrationTest.REPO.resolve("profiles"), cache),
        List.of(ACK));
  }

  private static Path single(Path cache) throws Exception {
    try (Stream<Path> files = Files.list(cache)) {
      List<Path> all = files.filter(f -> f.getFileName().toString().startsWith("chain-")).toList();
      assertThat(all).hasSize(1);
      return all.get(0);
    }
  }
}
