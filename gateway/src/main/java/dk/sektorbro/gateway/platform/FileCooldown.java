package dk.sektorbro.gateway.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.springframework.stereotype.Component;

/**
 * Files that could not be taken in at all (the journal itself failing: intake's inboxes, the
 * inbound folder) wait before they are read again: 1 s, doubling to at most 5 min per file, so a
 * broken journal never becomes a hot loop. Used as the file endpoints' {@code filter}, so a waiting
 * file is left where it is, untouched.
 */
@Component("fileCooldown")
public class FileCooldown implements GenericFileFilter<Object> {

  private static final Duration FIRST = Duration.ofSeconds(1);
  private static final Duration LONGEST = Duration.ofMinutes(5);

  private final Map<String, Wait> waiting = new ConcurrentHashMap<>();
  private final Clock clock;

  public FileCooldown(Clock clock) {
    this.clock = clock;
  }

  @Override
  public boolean accept(GenericFile<Object> file) {
    if (file.isDirectory()) {
      return true;
    }
    Wait wait = waiting.get(file.getAbsoluteFilePath());
    return wait == null || !clock.instant().isBefore(wait.until());
  }

  /** The file failed again: it waits twice as long as last time. */
  public Duration failed(String absolutePath) {
    Wait wait =
        waiting.merge(
            absolutePath,
            new Wait(1, clock.instant().plus(FIRST)),
            (old, first) -> {
              Duration next = FIRST.multipliedBy(1L << Math.min(old.failures(), 20));
              return new Wait(
                  old.failures() + 1,
                  clock.instant().plus(next.compareTo(LONGEST) > 0 ? LONGEST : next));
            });
    return Duration.between(clock.instant(), wait.until());
  }

  public void done(String absolutePath) {
    waiting.remove(absolutePath);
  }

  private record Wait(int failures, Instant until) {}
}
