package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/**
 * Builds a registry snapshot in code, through the same {@link SnapshotBuilder} the importers use.
 */
final class TestRegistry {

  static final LocalDate TODAY = LocalDate.of(2026, 11, 23);
  static final Set<String> CARE = Set.of("FDIS91", "FCTL");

  private final SnapshotBuilder builder = new SnapshotBuilder();

  TestRegistry unit(RegistryUnit.Level level, String sor, String parent, String name) {
    return unit(level, sor, parent, name, null, false, null, null, List.of(), null, null);
  }

  TestRegistry unit(
      RegistryUnit.Level level,
      String sor,
      String parent,
      String name,
      String ownGln,
      boolean inherited,
      LocalDate validTo,
      String shak,
      List<String> replacedBy,
      String provider,
      Set<String> receives) {
    builder.unit(
        new RegistryUnit(
            sor,
            level,
            parent,
            name,
            null,
            null,
            shak,
            provider,
            null,
            validTo,
            replacedBy,
            inherited,
            ownGln,
            null,
            null));
    if (ownGln != null) {
      builder.location(
          new RegistryLocation(
              ownGln, sor, false, false, null, receives == null ? CARE : receives, Set.of(), null));
    }
    return this;
  }

  /** A unit that owns {@code location} (flags and message types as given). */
  TestRegistry owning(
      RegistryUnit.Level level, String sor, String parent, String name, RegistryLocation location) {
    builder.unit(
        new RegistryUnit(
            sor,
            level,
            parent,
            name,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(),
            false,
            location.gln(),
            null,
            null));
    builder.location(location);
    return this;
  }

  TestRegistry location(RegistryLocation location) {
    builder.location(location);
    return this;
  }

  SnapshotBuilder builder() {
    return builder;
  }

  RegistrySnapshot build() {
    return snapshot("test-snapshot", "TEST", TODAY, builder.build());
  }

  /** The snapshot an importer's {@link SnapshotBuilder} made, as the registry would hold it. */
  static RegistrySnapshot snapshot(
      String id, String format, LocalDate registerDate, SnapshotBuilder.Result result) {
    SnapshotInfo info =
        new SnapshotInfo(
            id,
            format,
            registerDate,
            OffsetDateTime.now(),
            "hash",
            result.units().size(),
            result.locations().size(),
            result.rejections().size(),
            true);
    return new RegistrySnapshot(info, result.units(), result.locations());
  }
}
