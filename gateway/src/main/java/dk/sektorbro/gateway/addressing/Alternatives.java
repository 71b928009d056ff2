package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.addressing.Resolution.Suggestion;
import dk.sektorbro.gateway.medcom.MessageTypes.MessageType;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Finds alternatives to offer an operator: never used to send by themselves (R10, R11, name-only).
 * A unit qualifies when it is open and its postbox is external, in operation and takes the type.
 */
final class Alternatives {

  static final int LIMIT = 10;

  private final RegistrySnapshot snapshot;
  private final MessageType type;
  private final LocalDate today;

  Alternatives(RegistrySnapshot snapshot, MessageType type, LocalDate today) {
    this.snapshot = snapshot;
    this.type = type;
    this.today = today;
  }

  boolean canReceive(RegistryUnit unit) {
    if (!open(unit) || unit.effectiveGln() == null || unit.level() == RegistryUnit.Level.IE) {
      return false;
    }
    return snapshot
        .location(unit.effectiveGln(), unit.effectiveGlnFrom(), today)
        .filter(l -> snapshot.unit(l.ownerSorId()).map(this::open).orElse(false))
        .filter(l -> !l.onlyInternal() && l.receivingOn(today))
        .filter(l -> type.acceptedBy(l.receives(), l.payloadTypes()))
        .isPresent();
  }

  /** Open today: not closed and not registered to open later (R9, R17). */
  private boolean open(RegistryUnit unit) {
    return unit.activeOn(today) && (unit.validFrom() == null || !unit.validFrom().isAfter(today));
  }

  /** The nearest ancestor that can receive, then descendants that can, breadth first. */
  List<Suggestion> nearby(RegistryUnit unit) {
    List<Suggestion> found = new ArrayList<>();
    List<RegistryUnit> path = snapshot.path(unit.sorId());
    for (int i = path.size() - 2; i >= 0; i--) {
      if (canReceive(path.get(i))) {
        found.add(
            suggest(path.get(i), "nearest ancestor whose postbox takes " + type.sorEdiCode()));
        break;
      }
    }
    Deque<RegistryUnit> todo = new ArrayDeque<>(snapshot.children(unit.sorId()));
    while (!todo.isEmpty() && found.size() < LIMIT) {
      RegistryUnit next = todo.poll();
      if (canReceive(next)) {
        found.add(suggest(next, "sub-unit whose postbox takes " + type.sorEdiCode()));
      }
      todo.addAll(snapshot.children(next.sorId()));
    }
    return found;
  }

  /** Units whose name holds every word of {@code name} (case-insensitive): suggestions only. */
  List<Suggestion> byName(String name) {
    List<String> words =
        Arrays.stream(name.toLowerCase(Locale.ROOT).split("[\\s,.;:/()-]+"))
            .filter(w -> w.length() > 1)
            .toList();
    if (words.isEmpty()) {
      return List.of();
    }
    return snapshot.units().stream()
        .filter(u -> words.stream().allMatch(u.name().toLowerCase(Locale.ROOT)::contains))
        .filter(this::canReceive)
        .sorted(Comparator.comparing(RegistryUnit::sorId))
        .limit(LIMIT)
        .map(u -> suggest(u, "name matches; confirm before sending"))
        .toList();
  }

  Suggestion suggest(RegistryUnit unit, String why) {
    return new Suggestion(
        unit.sorId(), unit.effectiveGln(), unit.name(), pathText(unit.sorId()), why);
  }

  String pathText(String sorId) {
    return String.join(" > ", names(sorId));
  }

  List<String> names(String sorId) {
    return snapshot.path(sorId).stream().map(RegistryUnit::name).toList();
  }
}
