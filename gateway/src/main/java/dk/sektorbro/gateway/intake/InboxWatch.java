package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.platform.UnreadableNames;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an inbox folder's poll as soon as the operating system reports a new or changed file in it
 * (inotify on Linux, through {@link WatchService}), and at the latest every {@code fallback}: a
 * file renamed into the inbox is read within milliseconds instead of waiting for the next timed
 * poll, and a missed or unsupported event costs at most one {@code fallback}. One thread per
 * folder; polls never overlap.
 */
final class InboxWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InboxWatch.class);

  private final Path folder;
  private final long fallbackMillis;
  private final Runnable poll;
  private final Object wake = new Object();
  private volatile boolean running;
  private volatile WatchService watch;
  private Thread thread;

  InboxWatch(Path folder, Duration fallback, Runnable poll) {
    this.folder = folder;
    this.fallbackMillis = Math.max(1, fallback.toMillis());
    this.poll = poll;
  }

  synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    watch = register();
    thread = new Thread(this::loop, "inbox-watch-" + folder.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** True when file events wake the poll (false: timed polls only). */
  boolean watching() {
    return watch != null;
  }

  /** Stops after the poll under way, if any; does not interrupt it (it may be reading a file). */
  @Override
  public synchronized void close() {
    running = false;
    WatchService service = watch;
    watch = null;
    if (service != null) {
      try {
        service.close();
      } catch (IOException ignored) {
        // closing only wakes the waiting thread; nothing to keep
      }
    }
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private WatchService register() {
    try {
      Files.createDirectories(folder);
      WatchService service = folder.getFileSystem().newWatchService();
      // A rename into the folder is a create; a writer that writes in place also modifies.
      folder.register(
          service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      return service;
    } catch (IOException | UnsupportedOperationException e) {
      log.warn(
          "inbox folder cannot be watched, polled every {} ms instead cause={}",
          fallbackMillis,
          e.getClass().getSimpleName());
      return null;
    }
  }

  private void loop() {
    // Files left from before the start may have names Java cannot address (UnreadableNames).
    boolean unreadableNames = true;
    while (running) {
      try {
        if (unreadableNames) {
          UnreadableNames.renameIn(folder);
        }
        poll.run();
      } catch (RuntimeException e) {
        // The poll handles its files' failures itself; this only keeps the watch alive.
        log.warn("inbox poll failed cause={}", e.getClass().getSimpleName());
      }
      if (running) {
        unreadableNames = awaitChange();
      }
    }
  }

  // True when the folder must be looked at for unreadable names: an event named one (or events
  // were lost), or there are no events to tell.
  private boolean awaitChange() {
    boolean unreadableNames = false;
    try {
      WatchService service = watch;
      if (service == null) {
        synchronized (wake) {
          if (running) {
            wake.wait(fallbackMillis);
          }
        }
        return true;
      }
      WatchKey key = service.poll(fallbackMillis, TimeUnit.MILLISECONDS);
      // Drain everything already signalled: one poll reads all the files present.
      while (key != null) {
        for (WatchEvent<?> event : key.pollEvents()) {
          unreadableNames |=
              event.kind() == StandardWatchEventKinds.OVERFLOW
                  || (event.context() instanceof Path name && UnreadableNames.suspect(name));
        }
        key.reset();
        key = service.poll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } catch (ClosedWatchServiceException stopping) {
      // close() woke the thread
    }
    return unreadableNames;
  }
}
