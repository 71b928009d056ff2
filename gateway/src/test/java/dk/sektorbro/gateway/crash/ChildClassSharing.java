package dk.sektorbro.gateway.crash;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class data sharing for the kill tests' child gateways (docs/benchmarks.md, "Issue 16, ninth
 * session" and "tenth session: the kill-test phase"): a JVM that loads the classes of a class list
 * and writes them into a dynamic archive at its exit ({@link ClassListLoader}) makes an archive the
 * children map instead of loading and verifying those classes again: about 5 s less CPU of a 12-15
 * s start. The archive is kept in {@code target/kill-test-cds} under a key of the class path's
 * content and the Java version, so a later run of the same build starts every child with it.
 *
 * <p>The class list: in {@code verify} the integration tier's Failsafe JVM, which boots the same
 * application with the same packages, lists the classes it loads ({@code -XX:DumpLoadedClassList},
 * gateway/pom.xml); the archive is made from that list before the first child starts, while the
 * three test classes wait for it, so every child maps it. Without that list (the kill tests run on
 * their own) the first child lists its classes (written as they load, so the list is there while it
 * lives; a child killed with SIGKILL never writes an archive at exit) and once it is ready the
 * archive is made in the background for the children started after it.
 *
 * <p>Java 17 archives classes from jars only and refuses a class path with a non-empty folder, so
 * the build's class folders are packed into jars first: the children load the same classes and
 * resources as from the folders. Nothing here may fail a test: without jars the children get the
 * test JVM's class path as before, without an archive they start without one (both logged).
 */
final class ChildClassSharing {

  private static final Logger log = LoggerFactory.getLogger(ChildClassSharing.class);
  private static final Path ROOT = Path.of("target", "kill-test-cds").toAbsolutePath();

  /** Where the integration tier's Failsafe JVM lists the classes it loads (gateway/pom.xml). */
  private static final Path TIER_CLASS_LIST =
      Path.of("target", "integration-tier.classlist").toAbsolutePath();

  /** About the classes a whole start of the application loads (the tier's list has more). */
  private static final long WHOLE_START_CLASSES = 16_000;

  /** A list not written to for this long is no longer growing. */
  private static final Duration GROWING = Duration.ofSeconds(10);

  private static final Duration WHOLE_START_WAIT = Duration.ofMinutes(3);

  /** A list that has it comes from a JVM that booted the application, not only its tests. */
  private static final String APPLICATION_CLASS = "dk/sektorbro/gateway/GatewayApplication";

  private static final ChildClassSharing INSTANCE = new ChildClassSharing();

  private final String classPath;
  private final Path archive;
  private final Path classList;
  private boolean listing;
  private boolean dumpStarted;

  private ChildClassSharing() {
    String testClassPath = System.getProperty("java.class.path");
    String jars = null;
    Path folder = null;
    try {
      folder = ROOT.resolve(key(testClassPath));
      removeOthers(folder);
      jars = jarredClassPath(testClassPath, folder);
    } catch (IOException | RuntimeException e) {
      log.warn("kill test children: class path not packed into jars, no class data sharing", e);
    }
    this.classPath = jars == null ? testClassPath : jars;
    this.archive = jars == null ? null : folder.resolve("children.jsa");
    this.classList = jars == null ? null : folder.resolve("children.classlist");
    // Made here, before the first child starts: the three test classes' first launches wait for
    // it (this class's initialisation), and every child maps it.
    this.dumpStarted = archive != null && (Files.isRegularFile(archive) || archiveFromTierList());
  }

  static ChildClassSharing get() {
    return INSTANCE;
  }

  String classPath() {
    return classPath;
  }

  /**
   * The JVM options of the next child: the archive once there is one; else, for the first child
   * while none is being made, the class list to make it from.
   */
  synchronized List<String> options() {
    if (archive == null) {
      return List.of();
    }
    if (Files.isRegularFile(archive)) {
      // -Xshare:auto (the default): a class path that no longer fits makes the JVM start without.
      return List.of("-XX:SharedArchiveFile=" + archive);
    }
    if (!listing && !dumpStarted) {
      listing = true;
      return List.of("-XX:DumpLoadedClassList=" + classList);
    }
    return List.of();
  }

  /** A child started with {@link #options()} is ready: the classes of a start are in the list. */
  synchronized void ready(List<String> options) {
    if (!options.contains("-XX:DumpLoadedClassList=" + classList) || dumpStarted) {
      return;
    }
    dumpStarted = true;
    Thread dump = new Thread(() -> makeArchive(classList, "the first child"), "kill-test-cds-dump");
    dump.setDaemon(true);
    dump.start();
  }

  /** The listing child died before it was ready: the next one lists. */
  synchronized void notReady(List<String> options) {
    if (options.contains("-XX:DumpLoadedClassList=" + classList)) {
      listing = false;
    }
  }

  // The integration tier's class list, if there is one that lists the application's classes:
  // whether the archive was made from it.
  private boolean archiveFromTierList() {
    try {
      awaitWholeStartListed();
      if (!Files.isRegularFile(TIER_CLASS_LIST)) {
        log.info(
            "kill test children: no class list of the integration tier ({}); the first child lists"
                + " its classes",
            TIER_CLASS_LIST);
        return false;
      }
      try (Stream<String> lines = Files.lines(TIER_CLASS_LIST)) {
        if (lines.noneMatch(APPLICATION_CLASS::equals)) {
          log.info(
              "kill test children: the integration tier's class list {} has not the application's"
                  + " classes; the first child lists its classes",
              TIER_CLASS_LIST);
          return false;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("kill test children: the integration tier's class list not read", e);
      return false;
    }
    return makeArchive(TIER_CLASS_LIST, "the integration tier");
  }

  // In verify the kill tests run in the integration tier's own JVM, beside its other classes, and
  // start while that JVM is still writing the list: an archive made then holds only the first few
  // thousand classes. Waits until the list holds about a whole start of the application (a child's
  // start loads about 16,000 classes), while it grows; the tier's first applications use the cores
  // meanwhile. A list from an earlier run, which no longer grows, is taken as it is.
  private static void awaitWholeStartListed() throws IOException {
    long deadline = System.nanoTime() + WHOLE_START_WAIT.toNanos();
    while (Files.isRegularFile(TIER_CLASS_LIST) && System.nanoTime() < deadline) {
      long listed;
      try (Stream<String> lines = Files.lines(TIER_CLASS_LIST)) {
        listed = lines.count();
      }
      long quietFor =
          System.currentTimeMillis() - Files.getLastModifiedTime(TIER_CLASS_LIST).toMillis();
      if (listed >= WHOLE_START_CLASSES || quietFor > GROWING.toMillis()) {
        return;
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // Whether the archive was made: from the listed classes that are on the children's class path
  // (those of other class loaders, of the test JVM's own tools, or no longer in the build are left
  // out by ClassListLoader).
  private boolean makeArchive(Path classes, String listedBy) {
    long started = System.nanoTime();
    Path work = archive.resolveSibling("children.jsa.tmp");
    Path list = archive.resolveSibling("children.classlist.archived");
    Path output = archive.resolveSibling("dump.log");
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(classes));
      if (!Files.readString(classes).endsWith("\n") && !lines.isEmpty()) {
        lines.remove(lines.size() - 1); // a child still writing it: a line may be cut off
      }
      Files.write(list, lines);
      // A JVM that loads the listed classes and exits, writing them into a dynamic archive on top
      // of the JDK's: half the CPU of a static -Xshare:dump of the same list, the same starts.
      Process process =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-XX:ArchiveClassesAtExit=" + work,
                  "-cp",
                  classPath,
                  ClassListLoader.class.getName(),
                  list.toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      // Should the tests end first, the dump ends with them instead of outliving the build.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        log.warn(
            "kill test children: class data sharing archive not made in 10 min; see {}", output);
        return false;
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(work)) {
        log.warn(
            "kill test children: class data sharing archive not made (exit {}); see {}",
            process.exitValue(),
            output);
        return false;
      }
      Files.move(work, archive, StandardCopyOption.ATOMIC_MOVE);
      log.info(
          "kill test children: class data sharing archive {} made from the classes {} loaded, in {}"
              + " s",
          archive,
          listedBy,
          Duration.ofNanos(System.nanoTime() - started).toSeconds());
      return true;
    } catch (IOException | RuntimeException e) {
      log.warn("kill test children: class data sharing archive not made", e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // An archive is 140 MB: those of earlier builds go.
  private static void removeOthers(Path keep) throws IOException {
    if (!Files.isDirectory(ROOT)) {
      return;
    }
    try (Stream<Path> folders = Files.list(ROOT)) {
      for (Path other : folders.filter(f -> !f.equals(keep)).toList()) {
        try (Stream<Path> files = Files.walk(other)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  // Each folder of the class path as a jar of the same content, in the given folder; jars as they
  // are.
  private static String jarredClassPath(String classPath, Path folder) throws IOException {
    Files.createDirectories(folder);
    List<String> entries = new ArrayList<>();
    int folders = 0;
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = folder.resolve((folders++) + "-" + path.getFileName() + ".jar");
        if (!Files.isRegularFile(jar)) {
          Path work = jar.resolveSibling(jar.getFileName() + ".tmp");
          pack(path, work);
          Files.move(work, jar, StandardCopyOption.ATOMIC_MOVE);
        }
        entries.add(jar.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void pack(Path folder, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted().toList()) {
        String name = folder.relativize(file).toString().replace('\\', '/');
        if (name.isEmpty()) {
          continue;
        }
        boolean directory = Files.isDirectory(file);
        zip.putNextEntry(new JarEntry(directory ? name + "/" : name));
        if (!directory) {
          Files.copy(file, zip);
        }
        zip.closeEntry();
      }
    }
  }

  // The class path's content: every entry's name, and of a folder every file's name, size and
  // time; with the Java that makes and maps the archive.
  private static String key(String classPath) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      update(digest, Runtime.version().toString());
      update(digest, ProcessHandle.current().info().command().orElse("java"));
      for (String entry : classPath.split(File.pathSeparator)) {
        update(digest, entry);
        Path path = Path.of(entry);
        if (Files.isDirectory(path)) {
          try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
              update(
                  digest,
                  path.relativize(file)
                      + " "
                      + Files.size(file)
                      + " "
                      + Files.getLastModifiedTime(file).toMillis());
            }
          }
        } else if (Files.isRegularFile(path)) {
          update(digest, Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis());
        }
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }
}
