package dk.sektorbro.gateway.addressing;

import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a running import is: visible in the log every {@value #LOG_EVERY} units and in the API.
 */
public final class ImportProgress {

  private static final Logger log = LoggerFactory.getLogger(ImportProgress.class);
  static final int LOG_EVERY = 10_000;

  private final String importId;
  private final String source;
  private final OffsetDateTime startedAt;
  private final AtomicInteger unitsRead = new AtomicInteger();
  private final AtomicInteger rowsToStore = new AtomicInteger();
  private final AtomicInteger rowsStored = new AtomicInteger();
  private volatile String phase = "reading";

  public ImportProgress(String importId, String source, OffsetDateTime startedAt) {
    this.importId = importId;
    this.source = source;
    this.startedAt = startedAt;
  }

  public void unitRead() {
    int n = unitsRead.incrementAndGet();
    if (n % LOG_EVERY == 0) {
      log.info("registry import id={} source={} unitsRead={}", importId, source, n);
    }
  }

  /** The storing phase begins: {@code rows} units and locations are to be written. */
  public void storing(int rows) {
    rowsToStore.set(rows);
    phase("storing");
  }

  /** A batch of {@code rows} was written (the storing phase is most of a large import). */
  public void stored(int rows) {
    int before = rowsStored.get();
    int n = rowsStored.addAndGet(rows);
    if (n / LOG_EVERY != before / LOG_EVERY) {
      log.info(
          "registry import id={} source={} rowsStored={} of {}",
          importId,
          source,
          n,
          rowsToStore.get());
    }
  }

  public int rowsToStore() {
    return rowsToStore.get();
  }

  public int rowsStored() {
    return rowsStored.get();
  }

  public void phase(String phase) {
    this.phase = phase;
    log.info(
        "registry import id={} source={} phase={} unitsRead={}",
        importId,
        source,
        phase,
        unitsRead.get());
  }

  public String importId() {
    return importId;
  }

  public String source() {
    return source;
  }

  public OffsetDateTime startedAt() {
    return startedAt;
  }

  public int unitsRead() {
    return unitsRead.get();
  }

  public String phase() {
    return phase;
  }
}
