package dk.sektorbro.gateway.addressing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * R8/R9: follows ReplacedBy from a closed unit to the first active one. Cycle-safe and bounded; it
 * never chooses between several successors and never steps to a parent.
 */
public final class Successors {

  static final int MAX_DEPTH = 16;

  private Successors() {}

  /** How the chain ended. */
  public enum End {
    /** An active successor was found; {@code chain} ends with it. */
    ACTIVE,
    /** A unit on the way names no successor. */
    NONE,
    /**
     * A unit on the way names successors the snapshot does not hold (a partial export, a unit in
     * another part of the register): where its post goes is unknown, not "nowhere".
     */
    UNKNOWN,
    /** A unit on the way names several successors: an operator must choose. */
    SEVERAL,
    /** The chain returns to a unit already visited, or is longer than {@link #MAX_DEPTH}. */
    CYCLE
  }

  /** The units visited after the start, in order, and how the walk ended. */
  public record Chain(End end, List<RegistryUnit> chain, List<RegistryUnit> candidates) {
    public RegistryUnit last() {
      return chain.isEmpty() ? null : chain.get(chain.size() - 1);
    }
  }

  public static Chain follow(RegistrySnapshot snapshot, RegistryUnit closed, LocalDate today) {
    Set<String> seen = new LinkedHashSet<>();
    seen.add(closed.sorId());
    List<RegistryUnit> chain = new ArrayList<>();
    RegistryUnit current = closed;
    while (true) {
      List<RegistryUnit> next =
          current.replacedBy().stream().map(snapshot::unit).flatMap(Optional::stream).toList();
      if (next.isEmpty()) {
        return new Chain(current.replacedBy().isEmpty() ? End.NONE : End.UNKNOWN, chain, List.of());
      }
      if (next.size() > 1) {
        return new Chain(End.SEVERAL, chain, next);
      }
      RegistryUnit successor = next.get(0);
      if (!seen.add(successor.sorId()) || chain.size() >= MAX_DEPTH) {
        return new Chain(End.CYCLE, chain, List.of());
      }
      chain.add(successor);
      if (successor.activeOn(today)) {
        return new Chain(End.ACTIVE, chain, List.of());
      }
      current = successor;
    }
  }
}
