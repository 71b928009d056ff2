package dk.sektorbro.gateway.addressing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An immutable registry snapshot held in memory with the indexes resolution needs: by SOR, by GLN
 * (locations and the units they belong to), by SHAK and by provider number, and the children of
 * each unit. Lookups never fall back from one index to another.
 */
public final class RegistrySnapshot {

  private final SnapshotInfo info;
  private final Map<String, RegistryUnit> bySor;
  private final Map<String, List<RegistryLocation>> locationsByGln;
  private final Map<String, List<RegistryUnit>> byEffectiveGln;
  private final Map<String, List<RegistryUnit>> byShak;
  private final Map<String, List<RegistryUnit>> byProvider;
  private final Map<String, List<RegistryUnit>> children;

  public RegistrySnapshot(
      SnapshotInfo info, Collection<RegistryUnit> units, Collection<RegistryLocation> locations) {
    this.info = info;
    Map<String, RegistryUnit> sor = new HashMap<>();
    units.forEach(u -> sor.put(u.sorId(), u));
    this.bySor = Collections.unmodifiableMap(sor);
    this.locationsByGln = group(locations, RegistryLocation::gln);
    this.byEffectiveGln = group(units, RegistryUnit::effectiveGln);
    this.byShak =
        group(units, u -> u.shakId() == null ? null : u.shakId().toUpperCase(Locale.ROOT));
    this.byProvider = group(units, u -> Identifiers.providerKey(u.providerId()));
    this.children = group(units, RegistryUnit::parentSorId);
  }

  public SnapshotInfo info() {
    return info;
  }

  public Optional<RegistryUnit> unit(String sorId) {
    return Optional.ofNullable(bySor.get(sorId));
  }

  /** Every owner's record of this location number (more than one is a register error: R6 holds). */
  public List<RegistryLocation> locations(String gln) {
    return locationsByGln.getOrDefault(gln, List.of());
  }

  /** The location of {@code gln} as owned by {@code ownerSorId}, if that unit owns it. */
  public Optional<RegistryLocation> location(String gln, String ownerSorId) {
    return locations(gln).stream().filter(l -> l.ownerSorId().equals(ownerSorId)).findFirst();
  }

  /** Units that use {@code gln} as their postbox, their own or inherited. */
  public List<RegistryUnit> unitsUsing(String gln) {
    return byEffectiveGln.getOrDefault(gln, List.of());
  }

  public List<RegistryUnit> byShak(String shak) {
    return shak == null ? List.of() : byShak.getOrDefault(shak.toUpperCase(Locale.ROOT), List.of());
  }

  public List<RegistryUnit> byProviderNumber(String providerNumber) {
    String key = Identifiers.providerKey(providerNumber);
    return key == null ? List.of() : byProvider.getOrDefault(key, List.of());
  }

  public List<RegistryUnit> children(String sorId) {
    return children.getOrDefault(sorId, List.of());
  }

  public Collection<RegistryUnit> units() {
    return bySor.values();
  }

  /** The unit and its ancestors, root first (IE, SI, OE…): the "unit path" in explanations. */
  public List<RegistryUnit> path(String sorId) {
    List<RegistryUnit> path = new ArrayList<>();
    RegistryUnit unit = bySor.get(sorId);
    while (unit != null && path.size() < 64) {
      path.add(0, unit);
      unit = unit.parentSorId() == null ? null : bySor.get(unit.parentSorId());
    }
    return path;
  }

  private static <T> Map<String, List<T>> group(Collection<T> items, Function<T, String> key) {
    Map<String, List<T>> map = new HashMap<>();
    for (T item : items) {
      String k = key.apply(item);
      if (k != null) {
        map.computeIfAbsent(k, x -> new ArrayList<>(1)).add(item);
      }
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(map);
  }
}
