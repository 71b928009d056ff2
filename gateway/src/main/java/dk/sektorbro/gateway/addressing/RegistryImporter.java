package dk.sektorbro.gateway.addressing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads one upload into a new snapshot and stores it in one transaction, then makes it the active
 * one. A snapshot is never changed after this: a correction is a new import.
 */
@Component
public class RegistryImporter {

  private static final Logger log = LoggerFactory.getLogger(RegistryImporter.class);

  private final RegistryRepository repository;
  private final TransactionTemplate tx;
  private final Clock clock;

  public RegistryImporter(RegistryRepository repository, TransactionTemplate tx, Clock clock) {
    this.repository = repository;
    this.tx = tx;
    this.clock = clock;
  }

  /** What an import stored and what it left out. */
  public record Imported(
      SnapshotInfo snapshot, List<Rejection> rejections, RegistrySnapshot loaded) {}

  public Imported store(
      RegistryUpload upload, RegistryFormat format, ImportProgress progress, int keep) {
    return store(upload, format, progress, keep, null);
  }

  /**
   * Reads, checks and stores one upload as the new active snapshot. With {@code
   * maxRejectedPercent}, an upload that rejects a larger share of its units is refused as a whole:
   * a snapshot missing that much of the register must not silently become the one messages are
   * addressed by.
   */
  public Imported store(
      RegistryUpload upload,
      RegistryFormat format,
      ImportProgress progress,
      int keep,
      Double maxRejectedPercent) {
    return store(upload, format, progress, keep, maxRejectedPercent, info -> {});
  }

  /**
   * As above; {@code inTransaction} is told the snapshot inside the transaction that activates it
   * (the audit of who uploaded it commits with it or not at all).
   */
  public Imported store(
      RegistryUpload upload,
      RegistryFormat format,
      ImportProgress progress,
      int keep,
      Double maxRejectedPercent,
      Consumer<SnapshotInfo> inTransaction) {
    SnapshotBuilder builder = new SnapshotBuilder();
    LocalDate date;
    try (var in = upload.open()) {
      date = format.read(in, builder, progress);
    } catch (IOException | UncheckedIOException e) {
      throw new ImportFailure("the upload could not be read");
    }
    progress.phase("computing");
    SnapshotBuilder.Result result = builder.build();
    if (result.units().isEmpty()) {
      throw new ImportFailure(
          "no usable unit in the upload (" + result.rejections().size() + " rejected)");
    }
    int seen = result.units().size() + result.rejections().size();
    double rejectedPercent = 100.0 * result.rejections().size() / seen;
    if (maxRejectedPercent != null && rejectedPercent > maxRejectedPercent) {
      throw new ImportFailure(
          String.format(
              Locale.ROOT,
              "%d of %d units rejected (%.1f %%), above gateway.addressing.max-rejected-percent=%s; nothing stored,"
                  + " the active snapshot stays",
              result.rejections().size(),
              seen,
              rejectedPercent,
              maxRejectedPercent));
    }
    if (result.locations().isEmpty()) {
      // A partial export (EER Organizations without their Endpoints, a SOR extract without
      // location numbers) reads cleanly but addresses nothing: every message would fail R5.
      throw new ImportFailure(
          "no EAN location number in the upload ("
              + result.units().size()
              + " units): a registry without postboxes cannot address any message; nothing stored,"
              + " the active snapshot stays");
    }
    SnapshotInfo info =
        new SnapshotInfo(
            UUID.randomUUID().toString(),
            format.source(),
            date,
            OffsetDateTime.now(clock),
            upload.sha256(),
            result.units().size(),
            result.locations().size(),
            result.rejections().size(),
            true);
    RegistrySnapshot loaded = new RegistrySnapshot(info, result.units(), result.locations());
    // The register's last days are Danish calendar dates; the clock is in the JVM's default zone.
    Map<String, String> chains =
        successorChains(loaded, LocalDate.now(clock.withZone(AddressingGate.REGISTER_ZONE)));
    progress.storing(result.units().size() + result.locations().size());
    tx.executeWithoutResult(
        status -> {
          repository.lockImports();
          repository.insertSnapshot(info);
          repository.insertUnits(info.id(), result.units(), chains, progress::stored);
          repository.insertLocations(info.id(), result.locations(), progress::stored);
          repository.insertRejections(info.id(), result.rejections());
          repository.activate(info.id());
          repository.prune(keep);
          inTransaction.accept(info);
        });
    log.info(
        "registry snapshot id={} source={} units={} locations={} rejected={} active=true",
        info.id(),
        info.source(),
        info.units(),
        info.locations(),
        info.rejected());
    progress.phase("done");
    return new Imported(info, result.rejections(), loaded);
  }

  /**
   * For each closed unit: how its successor chain ends, e.g. "ACTIVE
   * 990131000016003>990031000016002".
   */
  static Map<String, String> successorChains(RegistrySnapshot snapshot, LocalDate today) {
    Map<String, String> chains = new HashMap<>();
    for (RegistryUnit unit : snapshot.units()) {
      if (!unit.activeOn(today) && !unit.replacedBy().isEmpty()) {
        Successors.Chain chain = Successors.follow(snapshot, unit, today);
        String path = String.join(">", chain.chain().stream().map(RegistryUnit::sorId).toList());
        chains.put(unit.sorId(), (chain.end() + " " + path).strip());
      }
    }
    return chains;
  }
}
