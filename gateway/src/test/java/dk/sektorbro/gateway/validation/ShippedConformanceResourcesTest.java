package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.validator.ProfileKnowledgeWorkerR5;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HAPI as the oracle on the gateway's own conformance resources (profiles/): every chain holds each
 * StructureDefinition with its snapshot, generated while loading (a profile the generator reports
 * an error for stops the load); each shipped file, as written, gets a complete snapshot without
 * error from HAPI's snapshot generator; and each resource is itself valid FHIR R4 in the chain of
 * the care-plan documents (HAPI's stock validator, which also checks a StructureDefinition's
 * elements and its constraints' FHIRPath).
 */
// HAPI with the official chains (slow): runs in verify, not in ./mvnw test.
@Tag("integration")
class ShippedConformanceResourcesTest {

  private static final Path PROFILES = GatewayIntegrationTest.REPO.resolve("profiles");
  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final String CARE_PLAN =
      "https://sektorbro.dk/fhir/StructureDefinition/sektorbro-careplan";

  static Stream<Arguments> shipped() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(PROFILES)) {
      files = walk.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(20);
    // The chain of the care-plan documents, the one message family on the gateway's own profile;
    // every chain holds profiles/ with the same snapshots (everyProfile_isHeldWithItsSnapshot), and
    // HAPI checking a StructureDefinition costs about a second.
    String chain = MedComChains.get().forType(ChainDefinition.CARE_PLAN_DOCUMENT).name();
    return files.stream().map(f -> Arguments.of(PROFILES.relativize(f).toString(), chain, f));
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("shipped")
  void shippedResource_isValid_andEveryProfileHasACompleteSnapshot(
      String file, String chainName, Path path) throws IOException {
    ConformanceChain chain = chain(chainName);
    String text = Files.readString(path);

    ValidationReport report = chain.validateStock(text);
    assertThat(report.errors().stream().filter(i -> !packageRegistryUnreachable(i)))
        .as(file)
        .isEmpty();

    if (FHIR.newJsonParser().parseResource(text)
        instanceof org.hl7.fhir.r4.model.StructureDefinition r4) {
      List<ValidationMessage> messages = new ArrayList<>();
      StructureDefinition snapshotted = snapshot(chain, r4, messages);
      assertThat(messages.stream().filter(m -> m.getLevel().isError()).map(Object::toString))
          .as(file + ": snapshot generation")
          .isEmpty();
      assertThat(snapshotted.getSnapshot().getElement()).as(file).isNotEmpty();
      // Every element of the differential is in the snapshot with what the profile sets.
      for (var element : snapshotted.getDifferential().getElement()) {
        assertThat(
                snapshotted.getSnapshot().getElement().stream()
                    .filter(e -> e.getId().equals(element.getId()))
                    .findFirst())
            .as(file + ": " + element.getId() + " in the snapshot")
            .hasValueSatisfying(
                e -> {
                  if (element.hasMin()) {
                    assertThat(e.getMin()).isEqualTo(element.getMin());
                  }
                  element
                      .getConstraint()
                      .forEach(
                          c ->
                              assertThat(e.getConstraint())
                                  .anyMatch(s -> s.getKey().equals(c.getKey())));
                });
      }
    }
  }

  /**
   * The chains hold every profile with its snapshot, generated while loading: HAPI's validator
   * generated them lazily on worker threads, each worker the same profile at once, and dropped what
   * the generator reported.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("chainNames")
  void everyProfile_isHeldWithItsSnapshot(String chainName) throws IOException {
    ConformanceChain chain = chain(chainName);
    List<String> urls = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(PROFILES)) {
      for (Path file : walk.filter(f -> f.toString().endsWith(".json")).toList()) {
        if (FHIR.newJsonParser().parseResource(Files.readString(file))
            instanceof org.hl7.fhir.r4.model.StructureDefinition profile) {
          urls.add(profile.getUrl());
        }
      }
    }
    assertThat(urls).contains(CARE_PLAN);
    for (String url : urls) {
      var held =
          (org.hl7.fhir.r4.model.StructureDefinition) chain.support().fetchStructureDefinition(url);
      assertThat(held.getSnapshot().getElement()).as(url).isNotEmpty();
    }
  }

  /**
   * HAPI's check of an extension's StructureDefinition (StructureDefinitionValidator's element
   * checks) also tries to load a core package it names {@code hl7.fhir.r4.core#null} from the local
   * package cache or the package registry (packages.fhir.org); the gateway forbids HAPI the network
   * ({@link OfflineHapi}, see validatingAnExtensionDefinition_neverReachesForThePackageRegistry),
   * and HAPI reports that as "Error generating Snapshot: Unable to resolve package id". Only that
   * issue is set aside: the extension's R4 snapshot is checked below with the chain's own
   * definitions.
   */
  private static boolean packageRegistryUnreachable(ValidationReport.Issue issue) {
    return issue.message().startsWith("Error generating Snapshot: Unable to resolve package id");
  }

  /**
   * HAPI's look-up above (StructureDefinitionValidator's check of an element context loads the core
   * package for "4.0" from FilesystemPackageCacheManager, whose package servers are
   * packages.fhir.org and packages2.fhir.org) must never reach the network: a gateway in a hospital
   * network calls out to no registry, and CI does not depend on one. Every HTTP connection the JVM
   * opens asks the default ProxySelector first; this one records every address off this machine and
   * sends it to a closed local port, so the test stays off the network even when the guard is
   * missing.
   */
  @Test
  void validatingAnExtensionDefinition_neverReachesForThePackageRegistry() throws IOException {
    String extension =
        Files.readString(
            PROFILES.resolve("StructureDefinition-sektorbro-consent-recipient-kind.json"));
    ConformanceChain chain = MedComChains.get().forType(ChainDefinition.CARE_PLAN_DOCUMENT);
    List<URI> asked = new CopyOnWriteArrayList<>();
    ProxySelector before = ProxySelector.getDefault();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            // The JVM's other tests run beside this one (the process-level tests poll their
            // gateways on localhost): their connections go through untouched and are not HAPI's.
            if (isLoopback(uri.getHost())) {
              return List.of(Proxy.NO_PROXY);
            }
            asked.add(uri);
            return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", 9)));
          }

          @Override
          public void connectFailed(URI uri, SocketAddress address, IOException e) {}
        });
    ValidationReport report;
    try {
      report = chain.validateStock(extension);
    } finally {
      ProxySelector.setDefault(before);
    }

    assertThat(asked).as("addresses HAPI tried to reach").isEmpty();
    assertThat(report.errors().stream().filter(i -> !packageRegistryUnreachable(i))).isEmpty();
  }

  private static boolean isLoopback(String host) {
    return host == null
        || host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }

  static Stream<String> chainNames() {
    return MedComChains.get().all().stream().map(ConformanceChain::name);
  }

  /** A profile the snapshot generator reports an error for stops the load, naming the profile. */
  @Test
  void profileWithASnapshotError_isRefusedAtLoad(@TempDir Path dir) throws IOException {
    Path profiles = Files.createDirectories(dir.resolve("profiles"));
    Files.writeString(
        profiles.resolve("StructureDefinition-broken.json"),
        Files.readString(PROFILES.resolve("StructureDefinition-sektorbro-careplan.json"))
            .replace(CARE_PLAN, "https://example.org/broken")
            .replace("\"path\": \"CarePlan.title\"", "\"path\": \"CarePlan.titel\""));

    assertThatThrownBy(() -> loadFallback(dir, profiles))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("https://example.org/broken")
        .hasMessageContaining("No match found for CarePlan.title");
  }

  /**
   * A profile on another of profiles/ gets its snapshot after its base's, with the base's rules,
   * whatever the file order.
   */
  @Test
  void profileOnAnotherOwnProfile_getsTheBasesRules(@TempDir Path dir) throws IOException {
    Path profiles = Files.createDirectories(dir.resolve("profiles"));
    Files.copy(
        PROFILES.resolve("StructureDefinition-sektorbro-careplan.json"),
        profiles.resolve("b-careplan.json"));
    Files.writeString(
        profiles.resolve("a-derived.json"),
        """
        {"resourceType": "StructureDefinition", "id": "derived",
         "url": "https://example.org/derived", "name": "Derived", "status": "draft",
         "fhirVersion": "4.0.1", "kind": "resource", "abstract": false, "type": "CarePlan",
         "baseDefinition": "%s", "derivation": "constraint",
         "differential": {"element": [
           {"id": "CarePlan.description", "path": "CarePlan.description", "min": 1}]}}
        """
            .formatted(CARE_PLAN));

    ConformanceChain fallback = loadFallback(dir, profiles).fallback();

    var derived =
        (org.hl7.fhir.r4.model.StructureDefinition)
            fallback.support().fetchStructureDefinition("https://example.org/derived");
    assertThat(derived.getSnapshot().getElementFirstRep().getConstraint())
        .anyMatch(c -> c.getKey().equals("sbp-1"));
    assertThat(
            derived.getSnapshot().getElement().stream()
                .filter(e -> e.getPath().equals("CarePlan.description"))
                .findFirst()
                .orElseThrow()
                .getMin())
        .isEqualTo(1);
  }

  private static ConformanceChains loadFallback(Path dir, Path profiles) throws IOException {
    return ConformanceChains.load(
        FHIR,
        new ConformanceProperties(
            Files.createDirectories(dir.resolve("packages")), profiles, MedComChains.CACHE),
        List.of());
  }

  /** What HAPI's snapshot generator makes of the profile in the chain, and what it reported. */
  private static StructureDefinition snapshot(
      ConformanceChain chain,
      org.hl7.fhir.r4.model.StructureDefinition profile,
      List<ValidationMessage> messages) {
    WorkerContextValidationSupportAdapter context =
        WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(
            chain.support());
    StructureDefinition derived =
        new VersionCanonicalizer(FHIR).structureDefinitionToCanonical(profile.copy());
    StructureDefinition base =
        context.fetchResource(StructureDefinition.class, derived.getBaseDefinition());
    assertThat(base).as(derived.getBaseDefinition()).isNotNull();
    new ProfileUtilities(context, messages, new ProfileKnowledgeWorkerR5(FHIR))
        .generateSnapshot(base, derived, derived.getUrl(), null, derived.getName());
    return derived;
  }

  private static ConformanceChain chain(String name) {
    return MedComChains.get().all().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
