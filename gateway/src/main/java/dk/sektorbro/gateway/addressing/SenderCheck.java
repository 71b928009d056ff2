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
    if (sor != null && Identifiers.classify(sor, false) != IdentifierKind.SOR) {
      return blocking("R3", "sender SOR is not a valid SOR code", true);
    }
    if (gln != null && Identifiers.classify(gln, true) != IdentifierKind.GLN) {
      return blocking("R3", "sender EAN is not a valid EAN/GLN", true);
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

  private static Optional<Finding> blocking(String rule, String message, boolean fatal) {
    return Optional.of(new Finding(new Step(rule, message, null, null), fatal, true));
  }
}
