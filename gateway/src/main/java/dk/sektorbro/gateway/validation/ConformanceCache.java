package dk.sektorbro.gateway.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.util.BundleBuilder;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.VersionUtil;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conformance resources of one chain as the validator holds them (parsed, snapshotted as
 * published, stripped by {@link LeanConformance}), kept on disk so a later start reads one file
 * instead of unpacking and parsing every package. One file per chain, named by its key: the SHA-256
 * of the cache format, the HAPI version and the <em>content</em> of the chain's package files (the
 * gateway's own {@code profiles/} are small and always read from their folder). A changed package
 * or HAPI version gets a new key and so a new file; nothing is read under a key it was not written
 * for.
 *
 * <p>Written once, by the one thread that loads, to a temporary file that is then moved into place
 * (atomic on the same file system), so a reader sees a whole file or none. A file that cannot be
 * read (truncated, corrupt, another key or format inside) is ignored with one log line and the
 * chain is loaded from the packages and written again. The resources go through HAPI's own JSON
 * serialisation (a collection Bundle), so what comes back is what HAPI parses.
 */
final class ConformanceCache {

  /** Raise when what is written changes (e.g. what {@link LeanConformance} strips). */
  static final int FORMAT = 1;

  private static final Logger log = LoggerFactory.getLogger(ConformanceCache.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final FhirContext fhir;

  ConformanceCache(Path dir, FhirContext fhir) {
    this.dir = dir;
    this.fhir = fhir;
  }

  /** What a chain needs besides its resources: package names and the family's examples. */
  record Entry(List<String> packages, List<String> examples, List<IBaseResource> resources) {}

  /** The key of one chain's resources: format, HAPI version and its package files' content. */
  static String key(List<Path> packageFiles) {
    Hasher hash = Hashing.sha256().newHasher();
    hash.putString("format " + FORMAT + "\nhapi " + VersionUtil.getVersion() + "\n", UTF8);
    for (Path file : packageFiles) {
      hash.putString("package " + file.getFileName() + "\n", UTF8);
      putContent(hash, file);
    }
    return hash.hash().toString();
  }

  private static final Charset UTF8 = StandardCharsets.UTF_8;

  private static void putContent(Hasher hash, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        hash.putBytes(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot be read: " + file.getFileName(), e);
    }
  }

  Path file(String key) {
    return dir.resolve("chain-" + key + ".json");
  }

  /** The entry written under this key, or empty (absent, or unusable: then logged once). */
  Optional<Entry> read(String key) {
    Path file = file(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (BufferedReader in = Files.newBufferedReader(file, UTF8)) {
      // Line 1: what was written (key, format, HAPI version, packages, examples, count); then the
      // resources as one FHIR JSON Bundle.
      JsonNode header = JSON.readTree(in.readLine());
      if (header == null
          || header.path("format").asInt() != FORMAT
          || !key.equals(header.path("key").asText())
          || !VersionUtil.getVersion().equals(header.path("hapi").asText())) {
        throw new IllegalStateException("written for another key, format or HAPI version");
      }
      List<String> packages = new ArrayList<>();
      header.path("packages").forEach(p -> packages.add(p.asText()));
      List<String> examples = new ArrayList<>();
      header.path("examples").forEach(e -> examples.add(e.asText()));
      IBaseBundle bundle = (IBaseBundle) fhir.newJsonParser().parseResource(in);
      List<IBaseResource> resources = BundleUtil.toListOfResources(fhir, bundle);
      if (resources.size() != header.path("count").asInt(-1) || packages.isEmpty()) {
        throw new IllegalStateException("incomplete");
      }
      return Optional.of(new Entry(packages, examples, resources));
    } catch (IOException | RuntimeException e) {
      // One line, no content: the file name is a hash, the cause's type says what was wrong.
      log.warn(
          "conformance cache file unusable, loading from the packages and writing it again"
              + " file={} cause={}",
          file.getFileName(),
          e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  /** Writes the entry under this key: temporary file, then an atomic move into place. */
  void write(String key, Entry entry) {
    try {
      Files.createDirectories(dir);
      BundleBuilder builder = new BundleBuilder(fhir);
      builder.setType("collection");
      entry.resources().forEach(builder::addCollectionEntry);
      ObjectNode header = JSON.createObjectNode();
      header.put("format", FORMAT);
      header.put("key", key);
      header.put("hapi", VersionUtil.getVersion());
      var packages = header.putArray("packages");
      entry.packages().forEach(packages::add);
      var examples = header.putArray("examples");
      entry.examples().forEach(examples::add);
      header.put("count", entry.resources().size());
      replace(
          file(key),
          "chain-",
          out -> {
            out.write(JSON.writeValueAsString(header));
            out.write('\n');
            fhir.newJsonParser().encodeResourceToWriter(builder.getBundle(), out);
          });
    } catch (IOException | RuntimeException e) {
      // The gateway validates from memory either way; the next start loads the packages again.
      log.warn("conformance cache not written dir={} cause={}", dir, e.getClass().getSimpleName());
    }
  }

  /**
   * Format of the R4 core file: 2 since the seventh session (one line per resource, "URL, tab, id,
   * tab, compact JSON", parsed on first use by {@link LazyCoreMap}); 1 was three Bundles, parsed
   * whole.
   */
  static final int CORE_FORMAT = 2;

  private static final String END = "end";

  /** The key of HAPI's R4 core definitions: only the format and HAPI's version decide them. */
  static String coreKey() {
    return Hashing.sha256()
        .hashString(
            "format "
                + FORMAT
                + "\ncore format "
                + CORE_FORMAT
                + "\nhapi "
                + VersionUtil.getVersion()
                + "\nr4 core\n",
            UTF8)
        .toString();
  }

  Path coreFile() {
    return dir.resolve("r4-core-" + coreKey() + ".json");
  }

  /**
   * Gives HAPI's R4 core support the definitions from the cache file, parsed on first use; false
   * (and HAPI loads them from its jar) if there is none, it is unusable (logged once) or HAPI did
   * not take them.
   */
  boolean readCore(DefaultProfileValidationSupport core) {
    Optional<List<LazyCoreMap>> read = readCoreFile();
    return read.isPresent() && CoreCache.install(core, read.get());
  }

  /**
   * The core's three maps (structure definitions, code systems, value sets) from the cache file,
   * each value parsed on first use, or empty (absent, or unusable: then logged once). Only the keys
   * and the file's completeness are checked here; every value was written by HAPI's own encoder
   * from a resource HAPI had parsed.
   */
  Optional<List<LazyCoreMap>> readCoreFile() {
    Path file = coreFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      int[] pos = {0};
      JsonNode header = JSON.readTree(nextLine(bytes, pos));
      if (header == null
          || header.path("format").asInt() != CORE_FORMAT
          || !coreKey().equals(header.path("key").asText())
          || !VersionUtil.getVersion().equals(header.path("hapi").asText())
          || header.path("counts").size() != 3) {
        throw new IllegalStateException("written for another key, format or HAPI version");
      }
      Object structurePackage =
          header.path("package").isTextual() ? header.get("package").asText() : null;
      List<LazyCoreMap> maps = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        LazyCoreMap.Builder map =
            LazyCoreMap.builder(fhir, CoreCache.PACKAGE, i == 0 ? structurePackage : null);
        int count = header.path("counts").get(i).asInt(-1);
        for (int n = 0; n < count; n++) {
          int lineStart = pos[0];
          int lineEnd = lineEnd(bytes, lineStart);
          int tab = indexOf(bytes, (byte) '\t', lineStart, lineEnd);
          int tab2 = tab < 0 ? -1 : indexOf(bytes, (byte) '\t', tab + 1, lineEnd);
          if (tab2 < 0 || tab2 + 1 >= lineEnd || bytes[tab2 + 1] != '{') {
            throw new IllegalStateException("incomplete");
          }
          map.add(
              new String(bytes, lineStart, tab - lineStart, UTF8),
              new String(bytes, tab + 1, tab2 - tab - 1, UTF8),
              Arrays.copyOfRange(bytes, tab2 + 1, lineEnd));
          pos[0] = lineEnd + 1;
        }
        maps.add(map.build());
      }
      if (!END.equals(nextLine(bytes, pos))) {
        throw new IllegalStateException("incomplete");
      }
      return Optional.of(maps);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "conformance cache file unusable, loading the R4 core from HAPI and writing it again"
              + " file={} cause={}",
          file.getFileName(),
          e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  private static int lineEnd(byte[] bytes, int from) {
    int end = indexOf(bytes, (byte) '\n', from, bytes.length);
    if (end < 0) {
      throw new IllegalStateException("incomplete");
    }
    return end;
  }

  private static String nextLine(byte[] bytes, int[] pos) {
    if (pos[0] >= bytes.length) {
      throw new IllegalStateException("incomplete");
    }
    int end = lineEnd(bytes, pos[0]);
    String line = new String(bytes, pos[0], end - pos[0], UTF8);
    pos[0] = end + 1;
    return line;
  }

  private static int indexOf(byte[] bytes, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Writes what HAPI's R4 core support holds (loaded and stripped): temporary file, then moved. */
  void writeCore(DefaultProfileValidationSupport core) {
    Optional<CoreCache.Snapshot> snapshot = CoreCache.snapshot(core, fhir);
    if (snapshot.isEmpty()) {
      log.info("HAPI's R4 core not cached: its definitions are not as expected");
      return;
    }
    try {
      Files.createDirectories(dir);
      ObjectNode header = JSON.createObjectNode();
      header.put("format", CORE_FORMAT);
      header.put("key", coreKey());
      header.put("hapi", VersionUtil.getVersion());
      if (snapshot.get().structurePackage() != null) {
        header.put("package", String.valueOf(snapshot.get().structurePackage()));
      }
      var counts = header.putArray("counts");
      List<List<IBaseResource>> lists = snapshot.get().resources();
      lists.forEach(l -> counts.add(l.size()));
      var parser = fhir.newJsonParser().setPrettyPrint(false);
      replace(
          coreFile(),
          "r4-core-",
          out -> {
            out.write(JSON.writeValueAsString(header));
            out.write('\n');
            for (List<IBaseResource> resources : lists) {
              for (IBaseResource resource : resources) {
                // One line per resource, its key first (URLs hold no tab or line break; HAPI's
                // compact JSON escapes every one inside a value).
                out.write(
                    DefaultProfileValidationSupport.getConformanceResourceUrl(fhir, resource));
                out.write('\t');
                // The id as HAPI's loader set it (the full URL from the bundle entry): the JSON
                // holds only its last part.
                String id = resource.getIdElement().getValue();
                out.write(id == null ? "" : id);
                out.write('\t');
                out.write(parser.encodeResourceToString(resource));
                out.write('\n');
              }
            }
            out.write(END);
            out.write('\n');
          });
    } catch (IOException | RuntimeException e) {
      log.warn("conformance cache not written dir={} cause={}", dir, e.getClass().getSimpleName());
    }
  }

  /** What a cache file holds, written to it in one go. */
  private interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /**
   * Writes {@code target} whole or not at all: a temporary file, then an atomic move into place.
   */
  private void replace(Path target, String prefix, Content content) throws IOException {
    Path temp = Files.createTempFile(dir, prefix, ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(temp, UTF8)) {
        content.writeTo(out);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
