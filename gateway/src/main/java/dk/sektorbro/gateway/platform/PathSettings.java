package dk.sektorbro.gateway.platform;

import java.beans.PropertyEditorSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * How every {@code Path} setting is read. Spring's own {@code PathEditor} treats a relative value
 * as a class-path location and turns {@code ../shared/packages} into null; here a plain value is a
 * file-system path relative to the working directory, as an operator expects, and {@code
 * classpath:shipped/...} names the mappings, profiles and registry built into the jar, so the
 * gateway starts from any folder without configuration. Inside a jar they are copied once to a
 * temporary folder (removed at exit), because the readers work on files.
 */
public final class PathSettings {

  /** The prefix of the shipped defaults (mappings, profiles, registry). */
  public static final String SHIPPED = "classpath:";

  private static final Map<String, Path> SHIPPED_COPIES = new ConcurrentHashMap<>();
  private static volatile Path copyRoot;

  private PathSettings() {}

  /** The path a setting's text names; null for a blank value. */
  public static Path toPath(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.strip();
    if (value.startsWith(SHIPPED)) {
      return SHIPPED_COPIES.computeIfAbsent(
          value.substring(SHIPPED.length()).replaceAll("^/+", ""), PathSettings::locateShipped);
    }
    if (value.equals("~") || value.startsWith("~/")) {
      value = System.getProperty("user.home") + value.substring(1);
    }
    return Path.of(value);
  }

  private static Path locateShipped(String location) {
    ClassPathResource resource = new ClassPathResource(location);
    if (!resource.exists()) {
      throw new IllegalArgumentException("not in the gateway's jar: " + SHIPPED + location);
    }
    try {
      URL url = resource.getURL();
      if ("file".equals(url.getProtocol())) {
        return Path.of(url.toURI());
      }
      return copyOut(location);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + SHIPPED + location, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  // A folder's entries (or the one file) copied below a temporary folder, keeping relative paths.
  private static Path copyOut(String location) throws IOException {
    Path target = root().resolve(location);
    PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
    Resource[] entries = resolver.getResources("classpath*:" + location + "/**");
    boolean folder = false;
    for (Resource entry : entries) {
      String url = entry.getURL().toString();
      int at = url.lastIndexOf(location + "/");
      String relative = at < 0 ? "" : url.substring(at + location.length() + 1);
      folder = true;
      if (relative.isEmpty() || relative.endsWith("/")) {
        continue;
      }
      copy(entry, target.resolve(relative));
    }
    if (!folder) {
      copy(new ClassPathResource(location), target);
    } else {
      Files.createDirectories(target);
    }
    return target;
  }

  private static void copy(Resource from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = from.getInputStream()) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static synchronized Path root() throws IOException {
    if (copyRoot == null) {
      Path root = Files.createTempDirectory("sektorbro-shipped-");
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> deleteQuietly(root), "sektorbro-shipped-cleanup"));
      copyRoot = root;
    }
    return copyRoot;
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder: the OS cleans it at the latest
    }
  }

  /** Registered for {@code Path} so that configuration binding uses {@link #toPath}. */
  public static final class Editor extends PropertyEditorSupport {
    @Override
    public void setAsText(String text) {
      setValue(toPath(text));
    }

    @Override
    public String getAsText() {
      Object value = getValue();
      return value == null ? "" : value.toString();
    }
  }
}
