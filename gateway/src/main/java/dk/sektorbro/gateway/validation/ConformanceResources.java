package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads conformance resources (StructureDefinition, ValueSet, CodeSystem) from FHIR NPM packages
 * and from the gateway's own {@code profiles/} folder into one pre-populated support. Packages are
 * always read from local files: no package registry is reachable from the gateway's machines.
 */
final class ConformanceResources {

  private static final Logger log = LoggerFactory.getLogger(ConformanceResources.class);

  static final Set<String> TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem");

  private final FhirContext fhir;
  private final PrePopulatedValidationSupport support;
  private final List<String> packages = new ArrayList<>();
  private final List<String> examples = new ArrayList<>();
  private final List<IBaseResource> fromPackages = new ArrayList<>();
  private final List<StructureDefinition> ownProfiles = new ArrayList<>();

  ConformanceResources(FhirContext fhir) {
    this.fhir = fhir;
    this.support = new PrePopulatedValidationSupport(fhir);
  }

  PrePopulatedValidationSupport support() {
    return support;
  }

  /** "name#version" of every package loaded, in load order. */
  List<String> packages() {
    return List.copyOf(packages);
  }

  /** The example Bundles (JSON) of the packages loaded with {@code keepExamples}. */
  List<String> exampleBundles() {
    return List.copyOf(examples);
  }

  void addPackage(Path tgz, boolean keepExamples) {
    try (InputStream in = Files.newInputStream(tgz)) {
      NpmPackage npm = NpmPackage.fromPackage(in);
      IParser parser = fhir.newJsonParser();
      for (String file : npm.listResources(TYPES)) {
        try (InputStream resource = npm.loadResource(file)) {
          IBaseResource parsed = LeanConformance.strip(parser.parseResource(resource));
          support.addResource(parsed);
          fromPackages.add(parsed);
        }
      }
      if (keepExamples && npm.getFolders().containsKey("example")) {
        for (String file : npm.list("example")) {
          if (file.startsWith("Bundle-") && file.endsWith(".json")) {
            try (InputStream example = npm.load("example", file)) {
              examples.add(new String(example.readAllBytes(), StandardCharsets.UTF_8));
            }
          }
        }
      }
      packages.add(npm.name() + "#" + npm.version());
    } catch (IOException e) {
      throw new UncheckedIOException("FHIR package cannot be read: " + tgz.getFileName(), e);
    }
  }

  /** What the packages added so far, as {@link ConformanceCache} keeps it. */
  ConformanceCache.Entry cacheEntry() {
    return new ConformanceCache.Entry(packages(), exampleBundles(), List.copyOf(fromPackages));
  }

  /** Adds what {@link #addPackage} added when the entry was written, in the same order. */
  void addCached(ConformanceCache.Entry entry) {
    entry.resources().forEach(support::addResource);
    fromPackages.addAll(entry.resources());
    packages.addAll(entry.packages());
    examples.addAll(entry.examples());
  }

  /**
   * Every conformance resource (JSON) in the folder; other files and resource types are skipped.
   */
  int addProfiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int added = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        IBaseResource resource;
        try {
          resource = fhir.newJsonParser().parseResource(Files.readString(file));
        } catch (DataFormatException e) {
          throw new IllegalStateException(
              "profile is not a FHIR JSON resource: " + dir.relativize(file), e);
        }
        if (TYPES.contains(fhir.getResourceType(resource))) {
          support.addResource(LeanConformance.strip(resource));
          if (resource instanceof StructureDefinition profile) {
            ownProfiles.add(profile);
          }
          added++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("profiles folder cannot be read: " + dir, e);
    }
    return added;
  }

  /**
   * Gives every StructureDefinition read by {@link #addProfiles} its snapshot, generated now on
   * this thread (see {@link ProfileSnapshots}); the validator then never generates one.
   *
   * @param core the R4 core definitions the profiles build on
   * @throws IllegalStateException when a profile's snapshot cannot be generated without errors
   */
  void completeProfileSnapshots(IValidationSupport core) {
    if (ownProfiles.isEmpty()) {
      return;
    }
    ValidationSupportChain bases =
        new ValidationSupportChain(
            support,
            core,
            new InMemoryTerminologyServerValidationSupport(fhir),
            new CommonCodeSystemsTerminologyService(fhir));
    long start = System.nanoTime();
    List<StructureDefinition> complete =
        ProfileSnapshots.generate(fhir, ProfileSnapshots.basesFirst(ownProfiles), bases);
    complete.forEach(support::addResource);
    ownProfiles.clear();
    log.info(
        "conformance profile snapshots generated count={} ms={}",
        complete.size(),
        (System.nanoTime() - start) / 1_000_000);
  }
}
