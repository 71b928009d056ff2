package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

  /**
   * The postbox {@code gln} of {@code ownerSorId} as it is on {@code day}. An EER postbox can have
   * one record per Endpoint, each with its own period: the records receiving that day (merged when
   * several: any of them can deliver); else the next one to come into force, so a hold can say
   * when; else one that is out of operation. Empty if that unit does not own {@code gln}.
   */
  public Optional<RegistryLocation> location(String gln, String ownerSorId, LocalDate day) {
    List<RegistryLocation> records =
        locations(gln).stream().filter(l -> l.ownerSorId().equals(ownerSorId)).toList();
    if (records.size() <= 1) {
      return records.stream().findFirst();
    }
    List<RegistryLocation> receiving = records.stream().filter(l -> l.receivingOn(day)).toList();
    if (!receiving.isEmpty()) {
      return Optional.of(receiving.size() == 1 ? receiving.get(0) : merged(receiving));
    }
    Optional<RegistryLocation> next =
        records.stream()
            .filter(l -> !l.nonActive() && l.notYetInForceOn(day))
            .min(Comparator.comparing(RegistryLocation::validFrom));
    return next.isPresent() ? next : records.stream().findFirst();
  }

  /** Several records of one postbox in force on the same day: what any of them can receive. */
  private static RegistryLocation merged(List<RegistryLocation> records) {
    RegistryLocation first = records.get(0);
    Set<String> receives = new LinkedHashSet<>();
    Set<String> payloads = new LinkedHashSet<>();
    records.forEach(
        l -> {
          receives.addAll(l.receives());
          payloads.addAll(l.payloadTypes());
        });
    return new RegistryLocation(
        first.gln(),
        first.ownerSorId(),
        records.stream().anyMatch(RegistryLocation::onlyInternal),
        false,
        records.stream()
            .map(RegistryLocation::validFrom)
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(null),
        records.stream().anyMatch(l -> l.validTo() == null)
            ? null
            : records.stream().map(RegistryLocation::validTo).max(Comparator.naturalOrder()).get(),
        receives,
        payloads,
        first.communicationSupplier(),
        String.join(
            ",",
            records.stream().map(RegistryLocation::endpointId).filter(Objects::nonNull).toList()));
  }

  /** The units that own {@code gln} (several owners is a register error: R6 holds). */
  public List<String> owners(String gln) {
    return locations(gln).stream().map(RegistryLocation::ownerSorId).distinct().toList();
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
