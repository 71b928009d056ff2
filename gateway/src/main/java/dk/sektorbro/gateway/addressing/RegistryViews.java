package dk.sektorbro.gateway.addressing;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** The JSON shapes of the registry API: snapshots, units and postboxes. */
public final class RegistryViews {

  private RegistryViews() {}

  /** A snapshot with (up to a limit) the register rows it rejected. */
  public record SnapshotDetail(SnapshotInfo snapshot, List<Rejection> rejections) {}

  /** The stored snapshots, and the import running now (null when none). */
  public record Snapshots(ImportProgressView importing, List<SnapshotInfo> items) {}

  public record ImportProgressView(
      String importId,
      String source,
      OffsetDateTime startedAt,
      String phase,
      int unitsRead,
      int rowsToStore,
      int rowsStored) {}

  /**
   * A unit in the active snapshot: its place in the hierarchy, its postbox, and, when it is no
   * longer active and has successors, where they lead (absent otherwise).
   */
  public record UnitView(
      String snapshotId,
      RegistryUnit unit,
      boolean active,
      List<PathStep> path,
      RegistryLocation postbox,
      List<String> children,
      @JsonInclude(JsonInclude.Include.NON_NULL) SuccessorsView successors) {}

  public record PathStep(String sor, String level, String name) {}

  public record SuccessorsView(String end, List<String> chain) {}

  /** A postbox (EAN/GLN location number): who owns it and which units use it. */
  public record LocationView(
      String snapshotId, String gln, List<RegistryLocation> owners, List<UnitUsing> usedBy) {}

  public record UnitUsing(String sor, String name, boolean inherited) {}

  /** A dry run of addressing: the snapshot it ran on, the message type and the resolution. */
  public record ResolveView(String snapshotId, String messageType, Resolution resolution) {}

  static ImportProgressView progress(ImportProgress p) {
    return new ImportProgressView(
        p.importId(),
        p.source(),
        p.startedAt(),
        p.phase(),
        p.unitsRead(),
        p.rowsToStore(),
        p.rowsStored());
  }

  static UnitView unit(RegistrySnapshot snapshot, RegistryUnit u, LocalDate today) {
    SuccessorsView successors = null;
    if (!u.activeOn(today) && !u.replacedBy().isEmpty()) {
      Successors.Chain chain = Successors.follow(snapshot, u, today);
      successors =
          new SuccessorsView(
              chain.end().name(), chain.chain().stream().map(RegistryUnit::sorId).toList());
    }
    return new UnitView(
        snapshot.info().id(),
        u,
        u.activeOn(today),
        snapshot.path(u.sorId()).stream()
            .map(p -> new PathStep(p.sorId(), p.level().name(), p.name()))
            .toList(),
        u.effectiveGln() == null
            ? null
            : snapshot.location(u.effectiveGln(), u.effectiveGlnFrom(), today).orElse(null),
        snapshot.children(u.sorId()).stream().map(RegistryUnit::sorId).sorted().toList(),
        successors);
  }

  static LocationView location(RegistrySnapshot snapshot, String gln) {
    return new LocationView(
        snapshot.info().id(),
        gln,
        snapshot.locations(gln),
        snapshot.unitsUsing(gln).stream()
            .map(u -> new UnitUsing(u.sorId(), u.name(), !gln.equals(u.ownGln())))
            .toList());
  }
}
