package dk.sektorbro.gateway.crash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM that makes the kill tests' class data sharing archive (ChildClassSharing): it loads every
 * class of a class list without initialising it and exits, and {@code -XX:ArchiveClassesAtExit}
 * writes them into a dynamic archive on top of the JDK's. Half the CPU of {@code -Xshare:dump} on
 * the same list (15 against 27-34 s), the same start for the children.
 *
 * <p>Loading is most of its time, and the children wait for it (ChildClassSharing): the list is
 * loaded in one share per core, each share a stretch of the list in its order (the application
 * class loader loads in parallel; a stretch's classes mostly need classes of the stretches before,
 * which are loaded by then or loaded once by whichever thread comes first).
 */
public final class ClassListLoader {

  private ClassListLoader() {}

  public static void main(String[] args) throws Exception {
    ClassLoader loader = ClassListLoader.class.getClassLoader();
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      // '#' comments, '@' lambda proxies and the like: made at run time as without an archive
      if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("@")) {
        names.add(line.split(" ")[0].replace('/', '.'));
      }
    }
    // A second argument, the number of threads, is for measuring (docs/benchmarks.md).
    int shares =
        Math.max(
            1,
            args.length > 1
                ? Integer.parseInt(args[1])
                : Runtime.getRuntime().availableProcessors());
    AtomicInteger loaded = new AtomicInteger();
    AtomicInteger missing = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int share = 0; share < shares; share++) {
      List<String> stretch =
          names.subList(names.size() * share / shares, names.size() * (share + 1) / shares);
      Thread thread =
          new Thread(
              () -> {
                for (String name : stretch) {
                  try {
                    Class.forName(name, false, loader);
                    loaded.incrementAndGet();
                  } catch (ClassNotFoundException | LinkageError e) {
                    // generated at run time (proxies), not on this class path, or not loadable
                    // alone: left out
                    missing.incrementAndGet();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    System.out.printf(
        "classes loaded %d, left out %d, threads %d%n", loaded.get(), missing.get(), shares);
  }
}
