package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.addressing.Resolution.Step;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The sender's SOR and EAN go into the message as the address replies and acknowledgements come
 * back to; MedCom requires a SOR unit with a location number. Wrong check digits fail, a SOR/EAN
 * pair the registry contradicts holds; a sender the snapshot does not know is only noted.
 */
public final class SenderCheck {

  /** The problem found, if any, and whether it is fatal. */
  public record Finding(Step step, boolean fatal, boolean blocking) {}

  private SenderCheck() {}

  public static Optional<Finding> check(
      Organisation sender, RegistrySnapshot snapshot, LocalDate today) {
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
    return Optional.empty();
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
