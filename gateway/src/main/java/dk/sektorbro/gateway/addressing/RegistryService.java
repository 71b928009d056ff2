package dk.sektorbro.gateway.addressing;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * The registry as the gateway uses it: the active snapshot in memory (loaded from the database at
 * start), imports one at a time with visible progress, and a re-check of held messages after each.
 */
@Service
public class RegistryService {

  private static final Logger log = LoggerFactory.getLogger(RegistryService.class);

  /**
   * How often a node asks which snapshot is active: one small query per interval, not per message;
   * the other nodes address by a new snapshot at most this long after its import.
   */
  static final Duration RECHECK = Duration.ofSeconds(5);

  private final RegistryRepository repository;
  private final RegistryImporter importer;
  private final HeldAddressRecheck recheck;
  private final AddressingProperties properties;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final AtomicReference<RegistrySnapshot> active = new AtomicReference<>();
  private final AtomicReference<ImportProgress> running = new AtomicReference<>();
  private final Duration recheckEvery;
  private final AtomicLong nextRecheck;

  @Autowired
  public RegistryService(
      RegistryRepository repository,
      RegistryImporter importer,
      HeldAddressRecheck recheck,
      AddressingProperties properties,
      Clock clock,
      ApplicationEventPublisher events) {
    this(repository, importer, recheck, properties, clock, events, RECHECK);
  }

  /** {@code recheckEvery}: {@link #RECHECK}; tests give a node a longer one. */
  RegistryService(
      RegistryRepository repository,
      RegistryImporter importer,
      HeldAddressRecheck recheck,
      AddressingProperties properties,
      Clock clock,
      ApplicationEventPublisher events,
      Duration recheckEvery) {
    this.events = events;
    this.recheckEvery = recheckEvery;
    this.nextRecheck = new AtomicLong(System.nanoTime() + recheckEvery.toNanos());
    this.repository = repository;
    this.importer = importer;
    this.recheck = recheck;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * The snapshot addressing uses now; empty until the first import. Every {@link #RECHECK} the
   * first caller asks the database which snapshot is active, so a snapshot another node imported is
   * used here too (before, a node addressed by the snapshot it loaded at start for as long as it
   * ran: a unit closed in the new register still received messages sent through it).
   */
  public Optional<RegistrySnapshot> active() {
    RegistrySnapshot snapshot = active.get();
    if (snapshot == null) {
      snapshot = load().orElse(null);
    } else if (recheckDue()) {
      snapshot = followCluster(snapshot);
    }
    return Optional.ofNullable(snapshot);
  }

  /**
   * As {@link #active()}, but asks the database at once which snapshot is active (one small query):
   * for a decision that must not rest on a snapshot another node replaced in the last {@link
   * #RECHECK}, such as holding a message as unknown until the next import, when the next import may
   * already be active.
   */
  public Optional<RegistrySnapshot> activeNow() {
    RegistrySnapshot snapshot = active.get();
    return snapshot == null ? load() : Optional.of(followCluster(snapshot));
  }

  private boolean recheckDue() {
    long now = System.nanoTime();
    long due = nextRecheck.get();
    return now - due >= 0 && nextRecheck.compareAndSet(due, now + recheckEvery.toNanos());
  }

  private RegistrySnapshot followCluster(RegistrySnapshot current) {
    Optional<String> id;
    try {
      id = repository.activeSnapshotId();
    } catch (DataAccessException e) {
      // The database is away for a moment: the snapshot in hand, asked again at the next recheck.
      return current;
    }
    if (id.isEmpty() || id.get().equals(current.info().id())) {
      return current;
    }
    RegistrySnapshot loaded = read().orElse(current);
    // An import on this node may have set a newer one meanwhile: that one stays.
    if (active.compareAndSet(current, loaded)) {
      log.info(
          "registry snapshot id={} imported on another node is active here units={}",
          loaded.info().id(),
          loaded.info().units());
    }
    return active.get();
  }

  /** The import in progress, if any. */
  public Optional<ImportProgress> running() {
    return Optional.ofNullable(running.get());
  }

  /**
   * Imports an upload (format sniffed from its first character), activates it and re-checks held
   * messages. One import at a time: a second one waits.
   */
  /** The bootstrap file's import at start: audited as the gateway's own. */
  public RegistryImporter.Imported importSnapshot(RegistryUpload upload) throws IOException {
    return importSnapshot(upload, RegistryImported.AT_START);
  }

  /** An upload by {@code actor} (a gateway user), audited with the snapshot it activates. */
  public synchronized RegistryImporter.Imported importSnapshot(RegistryUpload upload, String actor)
      throws IOException {
    RegistryFormat format =
        switch (upload.firstSignificantChar()) {
          case '<' -> new SorXmlFormat();
          case '{' -> new EerBundleFormat();
          default -> throw new ImportFailure("neither SOR XML nor an EER FHIR bundle (JSON)");
        };
    ImportProgress progress =
        new ImportProgress(
            UUID.randomUUID().toString(), format.source(), OffsetDateTime.now(clock));
    running.set(progress);
    try {
      RegistryImporter.Imported imported =
          importer.store(
              upload,
              format,
              progress,
              properties.keepSnapshots(),
              properties.maxRejectedPercent(),
              info -> events.publishEvent(new RegistryImported(actor, info)));
      active.set(imported.loaded());
      int released = recheck.releaseAll(imported.snapshot().id());
      log.info(
          "registry snapshot id={} active; held messages re-checked={}",
          imported.snapshot().id(),
          released);
      return imported;
    } finally {
      running.set(null);
    }
  }

  public List<SnapshotInfo> snapshots() {
    return repository.snapshots();
  }

  public Optional<SnapshotInfo> snapshot(String id) {
    return repository.snapshot(id);
  }

  public List<Rejection> rejections(String snapshotId, int limit) {
    return repository.rejections(snapshotId, limit);
  }

  private synchronized Optional<RegistrySnapshot> load() {
    if (active.get() != null) {
      return Optional.of(active.get());
    }
    Optional<RegistrySnapshot> loaded = read();
    loaded.ifPresent(
        s -> {
          active.set(s);
          log.info("registry snapshot id={} loaded units={}", s.info().id(), s.info().units());
        });
    return loaded;
  }

  private Optional<RegistrySnapshot> read() {
    return repository
        .activeSnapshot()
        .map(
            info ->
                new RegistrySnapshot(
                    info, repository.units(info.id()), repository.locations(info.id())));
  }
}
