package dk.sektorbro.gateway.crash;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM that makes the kill tests' class data sharing archive (ChildClassSharing): it loads every
 * class of a child's class list without initialising it and exits, and {@code
 * -XX:ArchiveClassesAtExit} writes them into a dynamic archive on top of the JDK's. Half the CPU of
 * {@code -Xshare:dump} on the same list (15 against 27-34 s), the same start for the children.
 */
public final class ClassListLoader {

  private ClassListLoader() {}

  public static void main(String[] args) throws Exception {
    ClassLoader loader = ClassListLoader.class.getClassLoader();
    int loaded = 0;
    int missing = 0;
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      // '#' comments, '@' lambda proxies and the like: made at run time as without an archive
      if (line.isBlank() || line.startsWith("#") || line.startsWith("@")) {
        continue;
      }
      try {
        Class.forName(line.split(" ")[0].replace('/', '.'), false, loader);
        loaded++;
      } catch (ClassNotFoundException | LinkageError e) {
        missing++; // generated at run time (proxies) or not loadable alone: left out
      }
    }
    System.out.printf("classes loaded %d, left out %d%n", loaded, missing);
  }
}
