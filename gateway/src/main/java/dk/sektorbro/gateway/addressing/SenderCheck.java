package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.addressing.Resolution.Step;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The sender's SOR and EAN go into the message as the address replies and acknowledgements come
 * back to; MedCom requires a SOR unit with a location number. Wrong check digits fail, a sender
 * outside the organisation its source is bound to fails (R18), a SOR/EAN pair the registry
 * contradicts holds, a postbox that cannot take the acknowledgement (internal only, out of
 * operation, not yet in force) holds; a sender the snapshot does not know is only noted.
 */
public final class SenderCheck {

  /** The problem found, if any, and whether it is fatal. */
  public record Finding(Step step, boolean fatal, boolean blocking) {}

  private SenderCheck() {}

  public static Optional<Finding> check(
      Organisation sender, RegistrySnapshot snapshot, LocalDate today) {
    return check(sender, snapshot, today, null);
  }

  /**
   * @param boundTo the SOR codes of the units the submitting source sends for (its mapping's {@code
   *     senders:}); null when the mapping does not bind it
   */
  public static Optional<Finding> check(
      Organisation sender, RegistrySnapshot snapshot, LocalDate today, List<String> boundTo) {
    if (sender == null) {
      return Optional.empty();
    }
    String sor = Identifiers.normalise(sender.sor());
    String gln = Identifiers.normalise(sender.gln());
    IdentifierKind sorKind = sor == null ? IdentifierKind.SOR : Identifiers.classify(sor, false);
    if (sorKind != IdentifierKind.SOR) {
      return blocking("R3", "sender " + reason(sorKind, sor, false), true);
    }
    IdentifierKind glnKind = gln == null ? IdentifierKind.GLN : Identifiers.classify(gln, true);
    if (glnKind != IdentifierKind.GLN) {
      return blocking("R3", "sender " + reason(glnKind, gln, true), true);
    }
    RegistryUnit unit = sor == null ? null : snapshot.unit(sor).orElse(null);
    if (boundTo != null && !sendsFor(sor, snapshot, boundTo)) {
      // Replies, acknowledgements and the recipient's trust go to the sender named in the message:
      // a source may not name another organisation's unit (R18, the gateway's own rule).
      return blocking(
          "R18",
          "sender SOR "
              + sor
              + " is not one of the units this source sends for, nor below one in registry snapshot "
              + snapshot.info().id()
              + " (mapping senders: "
              + String.join(", ", boundTo)
              + ")",
          true);
    }
    if (unit == null) {
      return Optional.of(
          new Finding(
              new Step("R13", "sender is not in the registry snapshot (noted only)", null, null),
              false,
              false));
    }
    if (gln != null && !gln.equals(unit.effectiveGln())) {
      return blocking(
          "R7",
          "sender SOR "
              + sor
              + " and EAN "
              + gln
              + " do not belong together (the unit's EAN is "
              + unit.effectiveGln()
              + ")",
          false);
    }
    if (!unit.activeOn(today)) {
      return blocking("R8", "sender unit " + sor + " is closed since " + unit.validTo(), false);
    }
    return postbox(unit, snapshot, today);
  }

  /**
   * The sender's postbox must take what comes back: MedCom's receiver acknowledges every message to
   * it (KR1) and a reply goes there. One that is internal only, out of operation (also the
   * inherited postbox of a closed owner) or not yet in force cannot: the message is held, as the
   * same facts hold or fail a recipient (R12, R9, R17). Held, never failed: the registry is wrong
   * or early, not the message; a new snapshot re-checks it, and the day a postbox comes into force
   * the daily R17 re-check does.
   */
  private static Optional<Finding> postbox(
      RegistryUnit unit, RegistrySnapshot snapshot, LocalDate today) {
    String gln = unit.effectiveGln();
    RegistryLocation box =
        gln == null ? null : snapshot.location(gln, unit.effectiveGlnFrom(), today).orElse(null);
    if (box == null) {
      return Optional.empty();
    }
    String back = ": the recipient's acknowledgement and replies could not reach it";
    if (box.onlyInternal()) {
      return blocking("R12", "sender EAN " + gln + " is an internal-only postbox" + back, false);
    }
    RegistryUnit owner = snapshot.unit(box.ownerSorId()).orElse(unit);
    if (owner != unit && !owner.activeOn(today)) {
      return blocking(
          "R9",
          "sender EAN "
              + gln
              + " is the postbox of unit "
              + owner.sorId()
              + ", closed "
              + owner.validTo()
              + back,
          false);
    }
    if (box.outOfOperationOn(today)) {
      return blocking(
          "R9",
          "sender EAN "
              + gln
              + (box.nonActive()
                  ? " is not active"
                  : " is out of operation: its registry period ended " + box.validTo())
              + back,
          false);
    }
    if (box.notYetInForceOn(today)) {
      return blocking(
          "R17",
          "sender EAN "
              + gln
              + " is not in force before "
              + box.validFrom()
              + back
              + "; re-checked from that day and after each snapshot import",
          false);
    }
    return Optional.empty();
  }

  /** The sender is a bound unit, or the registry places it below one. */
  private static boolean sendsFor(String sor, RegistrySnapshot snapshot, List<String> boundTo) {
    if (sor == null) {
      return false;
    }
    if (boundTo.contains(sor)) {
      return true;
    }
    return snapshot.path(sor).stream().map(RegistryUnit::sorId).anyMatch(boundTo::contains);
  }

  /** What is wrong with the sender's value, or that its field holds another kind of number. */
  private static String reason(IdentifierKind kind, String value, boolean glnField) {
    String problem = Identifiers.problem(kind, value, glnField);
    return problem != null
        ? problem
        : (glnField ? "EAN field" : "SOR field")
            + ": holds a "
            + kind
            + ", not a "
            + (glnField ? "EAN/GLN" : "SOR code");
  }

  private static Optional<Finding> blocking(String rule, String message, boolean fatal) {
    return Optional.of(new Finding(new Step(rule, message, null, null), fatal, true));
  }
}
