package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Files where no source reads them: directly in the inbox folder ({@code inbox/record.json}) or in
 * a folder of it that names no configured source ({@code inbox/nordby-socialpsykatri/}, a typo in
 * an export's path). No route reads them, so they had no journal entry and nobody was told.
 *
 * <p>They are not read, journaled or moved: which source's mapping a file needs is not known, a
 * file refused or moved under a guess is worse than one left where its writer put it, and once the
 * export's path is corrected (or the source configured) an admin moves them into the right folder
 * and they are read as usual. They are said instead, by folder and count, never by file name (names
 * may carry a CPR number): in {@code /actuator/health} ({@code inbox}, UP: the gateway works for
 * everything else, and a load balancer must not take the node out for it), in the gauge {@code
 * gateway.intake.unread.files} to alert on, and as a WARN whenever the picture changes (checked
 * every minute and on every health request). Hidden and temporary names ({@code .tmp}, {@code
 * .part}, {@code .partial}) are a writer's business, as in the sources' own folders.
 */
@Component("inboxHealthIndicator")
public class UnreadInboxFiles extends AbstractHealthIndicator implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(UnreadInboxFiles.class);

  static final String TOP = "inbox/";
  private static final long INTERVAL_SECONDS = 60;
  private static final int MAX_DEPTH = 16;
  // Counting stops here: enough to say "many", and a bound on the I/O of one look.
  private static final int MAX_COUNTED = 10_000;
  private static final int MAX_NAME = 100;
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
  // A folder named after a citizen (an export writing a folder per CPR number) is not shown so.
  private static final Pattern CPR_LIKE = Pattern.compile("\\d{6}-?\\d{4}");

  private final Path inbox;
  private final Set<String> sources;
  private final ScheduledExecutorService timer;
  private volatile Map<String, Integer> last = Map.of();

  @Autowired
  public UnreadInboxFiles(
      GatewayProperties properties, MappingRegistry mappings, MeterRegistry meters) {
    this(properties.inboxDir(), sources(mappings.all()), meters, true);
  }

  UnreadInboxFiles(Path inbox, Set<String> sources, MeterRegistry meters, boolean everyMinute) {
    super("inbox health check failed");
    this.inbox = inbox;
    this.sources = Set.copyOf(sources);
    Gauge.builder("gateway.intake.unread.files", this, u -> total(u.last))
        .description(
            "Files in the inbox where no configured source reads them (not journaled): see"
                + " /actuator/health inbox")
        .register(meters);
    if (everyMinute) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "inbox-unread-files");
                thread.setDaemon(true);
                return thread;
              });
      timer.scheduleWithFixedDelay(
          this::lookQuietly, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
    } else {
      timer = null;
    }
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<String, Integer> unread = look();
    builder.up().withDetail("unreadFiles", total(unread)).withDetail("unreadByFolder", unread);
    if (!unread.isEmpty()) {
      builder.withDetail("reason", reason());
    }
  }

  /**
   * Counts the files where no source reads them, by folder ({@value #TOP} for the inbox itself),
   * and says so in the log when that changed since the last look.
   */
  synchronized Map<String, Integer> look() {
    Map<String, Integer> unread = count();
    if (!unread.equals(last)) {
      if (!unread.isEmpty()) {
        log.warn(
            "files lie in the inbox where no source reads them, not journaled: {} ({})",
            unread.entrySet().stream()
                .map(e -> e.getKey() + " files=" + e.getValue())
                .collect(Collectors.joining(", ")),
            reason());
      } else {
        log.info("no more files in the inbox outside the sources' folders");
      }
      last = unread;
    }
    return unread;
  }

  private void lookQuietly() {
    try {
      look();
    } catch (RuntimeException e) {
      log.warn("inbox look for unread files failed cause={}", e.getClass().getSimpleName());
    }
  }

  // The configured sources by name, so a typo in a folder's name is seen next to the right one.
  private String reason() {
    return "move each into inbox/<source>/ of its source; configured sources: "
        + String.join(", ", new TreeSet<>(sources));
  }

  private Map<String, Integer> count() {
    SortedMap<String, Integer> unread = new TreeMap<>();
    if (!Files.isDirectory(inbox, NO_FOLLOW)) {
      return unread;
    }
    int top = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (ignored(name)) {
          continue;
        }
        BasicFileAttributes attributes = attributes(entry);
        if (attributes == null) {
          continue;
        }
        if (!attributes.isDirectory()) {
          top++;
        } else if (!sources.contains(name)) {
          int files = files(entry, 1);
          if (files > 0) {
            unread.merge(TOP + shown(name) + "/", files, Integer::sum);
          }
        }
      }
    } catch (IOException e) {
      log.warn("inbox cannot be listed cause={}", e.getClass().getSimpleName());
    }
    if (top > 0) {
      unread.put(TOP, top);
    }
    return Collections.unmodifiableSortedMap(unread);
  }

  // Files (and links, which nothing reads either) below a folder, its subfolders included; links
  // to folders are never followed.
  private static int files(Path folder, int depth) {
    int files = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      for (Path entry : entries) {
        if (ignored(entry.getFileName().toString())) {
          continue;
        }
        BasicFileAttributes attributes = attributes(entry);
        if (attributes == null) {
          continue;
        }
        files += attributes.isDirectory() ? (depth < MAX_DEPTH ? files(entry, depth + 1) : 0) : 1;
        if (files >= MAX_COUNTED) {
          return MAX_COUNTED;
        }
      }
    } catch (IOException e) {
      // A folder the gateway cannot list: nothing to count there (FolderHealth is for its own).
    }
    return files;
  }

  private static BasicFileAttributes attributes(Path entry) {
    try {
      return Files.readAttributes(entry, BasicFileAttributes.class, NO_FOLLOW);
    } catch (IOException gone) {
      return null;
    }
  }

  private static boolean ignored(String name) {
    return name.startsWith(".")
        || name.endsWith(".tmp")
        || name.endsWith(".part")
        || name.endsWith(".partial");
  }

  // A folder's name as the log and health show it: printable, bounded, never a CPR number.
  static String shown(String name) {
    String printable = name.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f) ? name : null;
    if (printable == null) {
      return "(a folder with an unprintable name)";
    }
    if (CPR_LIKE.matcher(printable).find()) {
      return "(a folder named with a CPR-like number)";
    }
    return printable.length() > MAX_NAME ? printable.substring(0, MAX_NAME) + "…" : printable;
  }

  private static int total(Map<String, Integer> unread) {
    return unread.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static Set<String> sources(Collection<MappingDefinition> mappings) {
    return mappings.stream().map(MappingDefinition::source).collect(Collectors.toSet());
  }

  @Override
  public void destroy() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
