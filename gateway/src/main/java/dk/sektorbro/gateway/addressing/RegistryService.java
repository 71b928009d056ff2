package dk.sektorbro.gateway.addressing;

import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The registry as the gateway uses it: the active snapshot in memory (loaded from the database at
 * start), imports one at a time with visible progress, and a re-check of held messages after each.
 */
@Service
public class RegistryService {

  private static final Logger log = LoggerFactory.getLogger(RegistryService.class);

  private final RegistryRepository repository;
  private final RegistryImporter importer;
  private final HeldAddressRecheck recheck;
  private final AddressingProperties properties;
  private final Clock clock;
  private final AtomicReference<RegistrySnapshot> active = new AtomicReference<>();
  private final AtomicReference<ImportProgress> running = new AtomicReference<>();

  public RegistryService(
      RegistryRepository repository,
      RegistryImporter importer,
      HeldAddressRecheck recheck,
      AddressingProperties properties,
      Clock clock) {
    this.repository = repository;
    this.importer = importer;
    this.recheck = recheck;
    this.properties = properties;
    this.clock = clock;
  }

  /** The snapshot addressing uses now; empty until the first import. */
  public Optional<RegistrySnapshot> active() {
    RegistrySnapshot snapshot = active.get();
    if (snapshot == null) {
      snapshot = load().orElse(null);
    }
    return Optional.ofNullable(snapshot);
  }

  /** The import in progress, if any. */
  public Optional<ImportProgress> running() {
    return Optional.ofNullable(running.get());
  }

  /**
   * Imports an upload (format sniffed from its first character), activates it and re-checks held
   * messages. One import at a time: a second one waits.
   */
  public synchronized RegistryImporter.Imported importSnapshot(RegistryUpload upload)
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
              properties.maxRejectedPercent());
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
    Optional<RegistrySnapshot> loaded =
        repository
            .activeSnapshot()
            .map(
                info ->
                    new RegistrySnapshot(
                        info, repository.units(info.id()), repository.locations(info.id())));
    loaded.ifPresent(
        s -> {
          active.set(s);
          log.info("registry snapshot id={} loaded units={}", s.info().id(), s.info().units());
        });
    return loaded;
  }
}
