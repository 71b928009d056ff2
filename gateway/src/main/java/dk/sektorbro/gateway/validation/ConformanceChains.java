package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validation chains of this installation: one per message family whose packages are all in the
 * package folder, and a base R4 + {@code profiles/} chain for everything else (and for all messages
 * when the MedCom packages are not installed).
 */
public final class ConformanceChains {

  private static final Logger log = LoggerFactory.getLogger(ConformanceChains.class);

  static final String FALLBACK_NAME =
      "FHIR R4 core + gateway profiles (MedCom packages not installed)";

  private final Map<String, ConformanceChain> byMessageType;
  private final Map<String, List<String>> missing;
  private final Map<String, List<String>> examples;
  private final ConformanceChain fallback;
  private final Path packageDir;
  private Duration loadTime = Duration.ZERO;
  private Map<String, String> loadedFrom = Map.of();

  private ConformanceChains(
      Map<String, ConformanceChain> byMessageType,
      Map<String, List<String>> missing,
      Map<String, List<String>> examples,
      ConformanceChain fallback,
      Path packageDir) {
    this.byMessageType = Collections.unmodifiableMap(new LinkedHashMap<>(byMessageType));
    this.missing = Map.copyOf(missing);
    this.examples = Map.copyOf(examples);
    this.fallback = fallback;
    this.packageDir = packageDir;
  }

  private static final Map<String, ConformanceChains> SHARED = new ConcurrentHashMap<>();

  private final Map<String, Duration> warmUp = new ConcurrentHashMap<>();

  /**
   * The chains for this package set, loaded once per JVM: they are immutable and thread-safe, so
   * every application context in the JVM (the test suite starts many) shares one loaded and
   * warmed-up set instead of paying the load and the warm-up again. The key is the package set's
   * hash (each chain's package files and the profiles folder: names, sizes, modification times), so
   * the same packages in another folder share the load and a changed file gets a new one.
   */
  public static ConformanceChains shared(FhirContext fhir, ConformanceProperties properties) {
    return SHARED.computeIfAbsent(packageSetHash(properties), k -> load(fhir, properties));
  }

  static String packageSetHash(ConformanceProperties properties) {
    StringBuilder set = new StringBuilder();
    Path dir = properties.packagesConfigured() ? properties.packageDir() : null;
    for (ChainDefinition definition : ChainDefinition.ALL) {
      for (String file : definition.packageFiles()) {
        set.append("package ")
            .append(file)
            .append(' ')
            .append(dir == null ? "-" : fileStamp(dir.resolve(file)))
            .append('\n');
      }
    }
    Path profiles = properties.profilesDir();
    set.append("profiles ").append(profiles.toAbsolutePath().normalize()).append('\n');
    if (Files.isDirectory(profiles)) {
      try (Stream<Path> files = Files.walk(profiles)) {
        files
            .filter(Files::isRegularFile)
            .sorted()
            .forEach(
                f ->
                    set.append(profiles.relativize(f))
                        .append(' ')
                        .append(fileStamp(f))
                        .append('\n'));
      } catch (IOException e) {
        throw new UncheckedIOException("profiles folder cannot be read: " + profiles, e);
      }
    }
    return Hashing.sha256().hashString(set, StandardCharsets.UTF_8).toString();
  }

  private static String fileStamp(Path file) {
    try {
      return Files.isRegularFile(file)
          ? Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis()
          : "absent";
    } catch (IOException e) {
      return "unreadable";
    }
  }

  /**
   * Warms each chain up once per JVM (the first validation converts and compiles what it touches):
   * {@code warm} runs for a chain the first time only; later application contexts get the first
   * time it took.
   */
  public Duration warmUpOnce(ConformanceChain chain, Supplier<Duration> warm) {
    return warmUp.computeIfAbsent(chain.name(), n -> warm.get());
  }

  /** Loads every chain of {@link ChainDefinition#ALL} whose package files are all present. */
  public static ConformanceChains load(FhirContext fhir, ConformanceProperties properties) {
    return load(fhir, properties, ChainDefinition.ALL);
  }

  static ConformanceChains load(
      FhirContext fhir, ConformanceProperties properties, List<ChainDefinition> table) {
    OfflineHapi.prohibitNetworkAccess();
    long start = System.nanoTime();
    Map<String, ConformanceChain> chains = new LinkedHashMap<>();
    Map<String, List<String>> missing = new LinkedHashMap<>();
    Map<String, List<String>> examples = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    Path dir = properties.packagesConfigured() ? properties.packageDir() : null;
    // R4 core definitions are the same for every chain: load them once.
    long coreStart = System.nanoTime();
    ConformanceCache cache =
        properties.cacheDir() == null ? null : new ConformanceCache(properties.cacheDir(), fhir);
    DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(fhir);
    // HAPI keeps the core once per JVM: a later load finds it loaded and reads nothing.
    boolean coreLoaded = CoreCache.maps(core).isPresent();
    boolean coreFromCache = !coreLoaded && cache != null && cache.readCore(core);
    // Loads every core resource now (the warm-up would anyway) and drops what only people read.
    // fetchAllConformanceResources alone returns only what is loaded already (nothing, on a new
    // support): until 2026-12-06 the R4 core was never stripped. Fetching all StructureDefinitions
    // and one CodeSystem loads the profile and the terminology bundles.
    // From the cache (this start or an earlier load in this JVM) the maps are lean as written and
    // each resource is parsed on first use (LazyCoreMap): fetching all would parse all of them,
    // about 5 s of CPU on the path to ready for mostly code systems and value sets no message uses.
    if (!coreFromCache && !CoreCache.lazy(core)) {
      core.fetchAllStructureDefinitions();
      core.fetchCodeSystem("http://hl7.org/fhir/administrative-gender");
      core.fetchAllConformanceResources().forEach(LeanConformance::strip);
    }
    if (!coreLoaded && !coreFromCache && cache != null) {
      cache.writeCore(core);
    }
    log.info(
        "conformance R4 core ready from={} ms={} parsed={}",
        coreLoaded ? "memory" : coreFromCache ? "cache" : "hapi",
        millisSince(coreStart),
        coreFromCache || CoreCache.lazy(core) ? LazyCoreMap.parsedInJvm() : "all");
    for (ChainDefinition definition : table) {
      List<String> absent =
          dir == null
              ? definition.packageFiles()
              : definition.packageFiles().stream()
                  .filter(f -> !Files.isRegularFile(dir.resolve(f)))
                  .toList();
      if (!absent.isEmpty()) {
        missing.put(definition.messageType(), absent);
        continue;
      }
      long chainStart = System.nanoTime();
      ConformanceResources resources = new ConformanceResources(fhir);
      List<Path> files = definition.packageFiles().stream().map(dir::resolve).toList();
      String key = cache == null ? null : ConformanceCache.key(files);
      Optional<ConformanceCache.Entry> cached = cache == null ? Optional.empty() : cache.read(key);
      if (cached.isPresent()) {
        resources.addCached(cached.get());
      } else {
        for (int i = 0; i < files.size(); i++) {
          resources.addPackage(files.get(i), i == 0);
        }
        if (cache != null) {
          cache.write(key, resources.cacheEntry());
        }
      }
      from.put(definition.messageType(), cached.isPresent() ? "cache" : "packages");
      log.info(
          "conformance chain resources ready type={} from={} ms={}",
          definition.messageType(),
          cached.isPresent() ? "cache" : "packages",
          millisSince(chainStart));
      int profiles = resources.addProfiles(properties.profilesDir());
      String name = "MedCom " + resources.packages().get(0) + " chain";
      chains.put(
          definition.messageType(),
          ConformanceChain.build(fhir, core, name, resources, profiles, true, definition.rules()));
      examples.put(definition.messageType(), resources.exampleBundles());
    }
    ConformanceResources own = new ConformanceResources(fhir);
    int profiles = own.addProfiles(properties.profilesDir());
    String fallbackName = chains.isEmpty() ? FALLBACK_NAME : "FHIR R4 core + gateway profiles";
    ConformanceChain fallback =
        ConformanceChain.build(fhir, core, fallbackName, own, profiles, false, List.of());
    ConformanceChains loaded = new ConformanceChains(chains, missing, examples, fallback, dir);
    loaded.loadTime = Duration.ofNanos(System.nanoTime() - start);
    loaded.loadedFrom = Map.copyOf(from);
    return loaded;
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Where each MedCom chain's package resources came from: "cache" or "packages". */
  Map<String, String> loadedFrom() {
    return loadedFrom;
  }

  /** How long loading the packages took (once per JVM, on whichever thread loaded them). */
  public Duration loadTime() {
    return loadTime;
  }

  /**
   * The chain for this message type, or the base R4 fallback when its packages are not installed.
   */
  public ConformanceChain forType(String messageType) {
    return byMessageType.getOrDefault(messageType, fallback);
  }

  /** Loaded MedCom chains by message type. */
  public Map<String, ConformanceChain> medcomChains() {
    return byMessageType;
  }

  public ConformanceChain fallback() {
    return fallback;
  }

  /** Package files not found, by message type (all of them when no package folder is set). */
  public Map<String, List<String>> missingPackages() {
    return missing;
  }

  /** The example Bundles (JSON) shipped in each loaded chain's own package. */
  public List<String> officialExamples(String messageType) {
    return examples.getOrDefault(messageType, List.of());
  }

  public boolean medcomInstalled() {
    return !byMessageType.isEmpty();
  }

  public Path packageDir() {
    return packageDir;
  }

  public List<ConformanceChain> all() {
    List<ConformanceChain> all = new ArrayList<>(byMessageType.values());
    all.add(fallback);
    return all;
  }
}
