package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.record.LocationNumbers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects what an importer streams (units, location numbers, rejections) and computes the
 * snapshot: checks every id, drops units whose parent is missing (and so their subtrees), and
 * resolves inherited location numbers top-down. Independent of the import format.
 */
public final class SnapshotBuilder {

  private final Map<String, RegistryUnit> units = new LinkedHashMap<>();
  private final List<RegistryLocation> locations = new ArrayList<>();
  private final List<Rejection> rejections = new ArrayList<>();
  private final Set<String> contradicted = new HashSet<>();

  /**
   * Returns true when the unit is new: a format then adds its location record. A SOR code listed
   * twice identically is read once; listed with different content (another postbox, parent, closing
   * date...) the register contradicts itself and neither occurrence is used (with its sub-units):
   * the file's order must not pick the postbox.
   */
  public boolean unit(RegistryUnit unit) {
    if (!LocationNumbers.isValidSor(unit.sorId())) {
      reject("unit " + unit.sorId(), "not a valid SOR code (format or Verhoeff check digit)");
    } else if (units.containsKey(unit.sorId())) {
      if (units.get(unit.sorId()).equals(unit)) {
        reject("unit " + unit.sorId(), "listed twice, identically; read once");
      } else {
        contradicted.add(unit.sorId());
        reject(
            "unit " + unit.sorId(),
            "listed twice with different content; neither occurrence is used, nor its sub-units");
      }
    } else if (unit.ownGln() != null && !LocationNumbers.isValidGln(unit.ownGln())) {
      reject("unit " + unit.sorId(), "own EAN location number fails the GS1 check digit");
    } else {
      units.put(unit.sorId(), unit);
      return true;
    }
    return false;
  }

  public void location(RegistryLocation location) {
    if (!LocationNumbers.isValidGln(location.gln())) {
      reject("location " + location.gln(), "not a valid EAN/GLN (13 digits, GS1 check digit)");
    } else {
      locations.add(location);
    }
  }

  public void reject(String item, String reason) {
    rejections.add(new Rejection(item, reason));
  }

  public int unitCount() {
    return units.size();
  }

  public List<Rejection> rejections() {
    return rejections;
  }

  /** The computed content: units with effective GLNs, and the locations whose owner was kept. */
  public Result build() {
    List<Rejection> rejected =
        new ArrayList<>(rejections); // build() may run twice: never add to the builder
    Map<String, RegistryUnit> kept = dropOrphans(rejected);
    Map<String, RegistryUnit> computed = new HashMap<>();
    Map<String, List<RegistryUnit>> children = new HashMap<>();
    List<RegistryUnit> roots = new ArrayList<>();
    for (RegistryUnit u : kept.values()) {
      if (u.parentSorId() == null) {
        roots.add(u);
      } else {
        children.computeIfAbsent(u.parentSorId(), k -> new ArrayList<>()).add(u);
      }
    }
    // Top-down, iteratively: a national tree is shallow but a generated one may not be.
    Deque<RegistryUnit> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      RegistryUnit u = todo.pop();
      RegistryUnit parent = u.parentSorId() == null ? null : computed.get(u.parentSorId());
      RegistryUnit withGln =
          u.ownGln() != null
              ? u.withEffectiveGln(u.ownGln(), u.sorId())
              : u.eanInherited() && parent != null && parent.effectiveGln() != null
                  ? u.withEffectiveGln(parent.effectiveGln(), parent.effectiveGlnFrom())
                  : u.withEffectiveGln(null, null);
      computed.put(u.sorId(), withGln);
      todo.addAll(children.getOrDefault(u.sorId(), List.of()));
    }
    List<RegistryLocation> keptLocations = new ArrayList<>();
    for (RegistryLocation l : locations) {
      if (computed.containsKey(l.ownerSorId())) {
        keptLocations.add(l);
      } else {
        rejected.add(
            new Rejection(
                "location " + l.gln(),
                "its owner unit " + l.ownerSorId() + " is not in the snapshot"));
      }
    }
    List<RegistryUnit> ordered = kept.keySet().stream().map(computed::get).toList();
    return new Result(ordered, keptLocations, List.copyOf(rejected));
  }

  private Map<String, RegistryUnit> dropOrphans(List<Rejection> rejected) {
    Map<String, RegistryUnit> kept = new LinkedHashMap<>(units);
    kept.keySet().removeAll(contradicted);
    boolean changed = true;
    while (changed) {
      changed =
          kept.values()
              .removeIf(
                  u -> {
                    boolean orphan = u.parentSorId() != null && !kept.containsKey(u.parentSorId());
                    if (orphan) {
                      rejected.add(
                          new Rejection(
                              "unit " + u.sorId(),
                              "parent unit " + u.parentSorId() + " is not in the snapshot"));
                    }
                    return orphan;
                  });
    }
    return kept;
  }

  /** A computed snapshot ready to store. */
  public record Result(
      List<RegistryUnit> units, List<RegistryLocation> locations, List<Rejection> rejections) {}
}
