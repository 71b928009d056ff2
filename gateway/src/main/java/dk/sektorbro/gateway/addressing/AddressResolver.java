package dk.sektorbro.gateway.addressing;

import static dk.sektorbro.gateway.addressing.Resolution.MAILBOX_OUT_OF_OPERATION;
import static dk.sektorbro.gateway.addressing.Resolution.RECEIVER_MISSING;
import static dk.sektorbro.gateway.addressing.Resolution.RECEIVER_UNKNOWN;
import static dk.sektorbro.gateway.addressing.Resolution.UNABLE_TO_RECEIVE_TYPE;

import dk.sektorbro.gateway.addressing.Resolution.Suggestion;
import dk.sektorbro.gateway.medcom.MessageTypes.MessageType;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rules R1–R13 on one recipient against one snapshot, as a pure function. The order matters:
 * normalise and classify before any lookup, find the unit before completing the EAN, reject an
 * owner (IE) before completing its EAN, check the postbox (open, external, takes the type) last,
 * and only on the address that would be used. Every rule that fires is in the trail; the envelope
 * itself (R15) is checked at delivery.
 */
public final class AddressResolver {

  private final AddressingPolicy policy;

  public AddressResolver(AddressingPolicy policy) {
    this.policy = policy;
  }

  /**
   * @param heldUnknownBefore true when this message was already held once as unknown (R13): a
   *     second miss after a new snapshot fails it instead of holding again
   */
  public Resolution resolve(
      Organisation given,
      MessageType type,
      RegistrySnapshot snapshot,
      LocalDate today,
      boolean heldUnknownBefore) {
    ResolutionTrail t = new ResolutionTrail(given, new Alternatives(snapshot, type, today));
    try {
      return new Walk(t, type, snapshot, today, heldUnknownBefore).run();
    } catch (ResolutionTrail.Decided decided) {
      return decided.resolution();
    }
  }

  /** One resolution's working state; each rule either moves it on or ends it via the trail. */
  private final class Walk {
    private final ResolutionTrail t;
    private final MessageType type;
    private final RegistrySnapshot snapshot;
    private final LocalDate today;
    private final boolean heldUnknownBefore;
    private String sor;
    private String gln;
    private RegistryUnit unit;

    /**
     * The name a source gave describes the unit it addressed: once R8 moves to a successor it names
     * a closed unit, and the receiver Organization would carry one unit's name with another's SOR
     * and EAN.
     */
    private boolean givenNameApplies;

    Walk(
        ResolutionTrail t,
        MessageType type,
        RegistrySnapshot snapshot,
        LocalDate today,
        boolean heldUnknownBefore) {
      this.t = t;
      this.type = type;
      this.snapshot = snapshot;
      this.today = today;
      this.heldUnknownBefore = heldUnknownBefore;
      this.givenNameApplies = t.given().name() != null;
    }

    Resolution run() {
      normalise();
      classify();
      findUnit();
      t.at(unit.sorId());
      followSuccessors();
      t.at(unit.sorId());
      rejectOwner();
      notYetOpen();
      completeGln();
      checkPostbox();
      return t.done(
          policy,
          new Organisation(sor, gln, givenNameApplies ? t.given().name() : unit.name()),
          t.alternatives().names(unit.sorId()));
    }

    // R1
    private void normalise() {
      sor = Identifiers.normalise(t.given().sor());
      gln = Identifiers.normalise(t.given().gln());
      if (sor != null && !sor.equals(t.given().sor())) {
        t.fix("R1", "SOR normalised (spaces, dashes, system prefix removed)", t.given().sor(), sor);
      }
      if (gln != null && !gln.equals(t.given().gln())) {
        t.fix(
            "R1",
            "EAN normalised (spaces, dashes, 0088: or GLN system prefix removed)",
            t.given().gln(),
            gln);
      }
    }

    // R2, R3, R4
    private void classify() {
      IdentifierKind sorKind = sor == null ? null : Identifiers.classify(sor, false);
      IdentifierKind glnKind = gln == null ? null : Identifiers.classify(gln, true);
      if (sorKind == IdentifierKind.GLN && glnKind == IdentifierKind.SOR) {
        // A mapping with its two columns swapped: each value is what the other field takes, so
        // both move (neither is re-read as another kind) and R7 still checks they belong together.
        t.fix(
            "R2",
            "the SOR and EAN fields were swapped (an EAN/GLN in the SOR field, a SOR code in the"
                + " EAN field); each moved to its own field",
            sor + " / " + gln,
            gln + " / " + sor);
        String was = sor;
        sor = gln;
        gln = was;
        sorKind = IdentifierKind.SOR;
        glnKind = IdentifierKind.GLN;
      } else if (sorKind == IdentifierKind.GLN && (gln == null || gln.equals(sor))) {
        t.fix("R2", "the SOR field holds an EAN/GLN; moved to the EAN field", sor, null);
        gln = sor;
        sor = null;
        sorKind = null;
        glnKind = IdentifierKind.GLN;
      } else if (glnKind == IdentifierKind.SOR && (sor == null || sor.equals(gln))) {
        t.fix("R2", "the EAN field holds a SOR code; moved to the SOR field", gln, null);
        sor = gln;
        gln = null;
        glnKind = null;
        sorKind = IdentifierKind.SOR;
      }
      rejectMalformed("SOR field", sor, sorKind, IdentifierKind.SOR);
      rejectMalformed("EAN field", gln, glnKind, IdentifierKind.GLN);
      if (sorKind == IdentifierKind.SHAK || sorKind == IdentifierKind.PROVIDER_NUMBER) {
        mapLegacy(sorKind);
      }
      if (sor == null && gln == null) {
        nameOnly();
      }
    }

    private void rejectMalformed(
        String field, String value, IdentifierKind kind, IdentifierKind expected) {
      if (kind == null || kind == expected) {
        return;
      }
      switch (kind) {
        case SOR_BAD_CHECK_DIGIT, GLN_BAD_CHECK_DIGIT, PLACEHOLDER ->
            t.fail("R3", Identifiers.problem(kind, value, glnField(field)), RECEIVER_UNKNOWN);
        case SHAK, PROVIDER_NUMBER -> {
          if (expected == IdentifierKind.GLN) {
            t.fail(
                "R2",
                field + ": holds a " + kind + " code, which does not address a postbox",
                RECEIVER_UNKNOWN);
          }
        }
        case GLN, SOR ->
            t.hold(
                "R2",
                field + ": holds a " + kind + " that differs from the other field",
                RECEIVER_UNKNOWN,
                List.of());
        default ->
            t.fail("R2", Identifiers.problem(kind, value, glnField(field)), RECEIVER_UNKNOWN);
      }
    }

    private static boolean glnField(String field) {
      return field.startsWith("EAN");
    }

    // R4: legacy ids are looked up in the snapshot's indexes, never guessed
    private void mapLegacy(IdentifierKind kind) {
      List<RegistryUnit> found =
          kind == IdentifierKind.SHAK ? snapshot.byShak(sor) : snapshot.byProviderNumber(sor);
      String label = kind == IdentifierKind.SHAK ? "SHAK code" : "provider number (ydernummer)";
      if (found.isEmpty()) {
        unknown("the " + label + " in the SOR field is not in the registry snapshot");
      }
      if (found.size() > 1) {
        t.hold(
            "R4",
            "the " + label + " matches several units",
            RECEIVER_UNKNOWN,
            found.stream().map(u -> t.alternatives().suggest(u, "has this " + label)).toList());
      }
      t.fix(
          "R4",
          "the SOR field held a " + label + "; mapped to its SOR unit",
          sor,
          found.get(0).sorId());
      sor = found.get(0).sorId();
    }

    private void nameOnly() {
      String name = t.given().name();
      if (name == null || name.isBlank()) {
        t.fail("R13", "no SOR code, EAN/GLN or name for the recipient", RECEIVER_MISSING);
      }
      t.hold(
          "R13",
          "recipient given by name only: candidates are suggested, never chosen",
          RECEIVER_MISSING,
          t.alternatives().byName(name));
    }

    // R6 (and R13 for an unknown SOR or EAN)
    private void findUnit() {
      if (sor != null) {
        unit = snapshot.unit(sor).orElse(null);
        if (unit == null) {
          unknown("SOR " + sor + " is well-formed but not in the registry snapshot");
        }
        return;
      }
      // Owners, not records: an EER postbox has a record per Endpoint (one owner, several periods).
      List<String> owners = snapshot.owners(gln);
      if (owners.isEmpty()) {
        unknown("EAN " + gln + " is well-formed but not in the registry snapshot");
      }
      if (owners.size() > 1) {
        t.hold(
            "R6",
            "EAN " + gln + " is owned by several units; an operator must choose",
            RECEIVER_UNKNOWN,
            owners.stream()
                .map(o -> snapshot.unit(o).orElseThrow())
                .map(u -> t.alternatives().suggest(u, "owns this EAN"))
                .toList());
      }
      unit = snapshot.unit(owners.get(0)).orElseThrow();
      sor = unit.sorId();
      t.fix(
          "R6",
          "SOR filled from the unit that owns the EAN (not an inheriting sub-unit)",
          null,
          sor);
    }

    private void unknown(String message) {
      if (heldUnknownBefore) {
        t.fail("R13", message + " (still unknown after a new snapshot)", RECEIVER_UNKNOWN);
      }
      t.hold(
          "R13",
          message + "; re-checked once after the next snapshot import",
          RECEIVER_UNKNOWN,
          List.of());
    }

    // R8, R9: a closed unit, or a unit whose own postbox is out of operation and that names a
    // successor
    private void followSuccessors() {
      Optional<RegistryLocation> box = location(unit);
      boolean boxClosed =
          box.map(l -> l.outOfOperationOn(today)).orElse(false) && !unit.replacedBy().isEmpty();
      if (unit.activeOn(today) && !boxClosed) {
        return;
      }
      Successors.Chain chain = Successors.follow(snapshot, unit, today);
      String closed =
          "unit "
              + unit.sorId()
              + (unit.activeOn(today)
                  ? " has its postbox out of operation"
                  : " closed " + unit.validTo());
      switch (chain.end()) {
        case NONE ->
            t.fail(
                "R9",
                closed + " and names no successor; no fallback to a parent",
                RECEIVER_UNKNOWN);
        case UNKNOWN ->
            unknown(
                closed
                    + " and names successor "
                    + String.join(
                        ", ", (chain.chain().isEmpty() ? unit : chain.last()).replacedBy())
                    + ", which is not in the registry snapshot");
        case SEVERAL ->
            t.hold(
                "R8",
                closed + " and names several successors",
                RECEIVER_UNKNOWN,
                chain.candidates().stream()
                    .map(u -> t.alternatives().suggest(u, "named successor"))
                    .toList());
        case CYCLE ->
            t.hold("R8", closed + "; its successor chain loops", RECEIVER_UNKNOWN, List.of());
        case ACTIVE -> {
          RegistryUnit successor = chain.last();
          if (chain.chain().size() > policy.maxSuccessorChain()) {
            t.hold(
                "R8",
                closed + "; the active successor is " + chain.chain().size() + " steps away",
                RECEIVER_UNKNOWN,
                List.of(t.alternatives().suggest(successor, "active end of the successor chain")));
          }
          if (gln != null && gln.equals(unit.effectiveGln())) {
            gln = null; // the old unit's postbox goes with it: R5 fills the successor's
          }
          t.fix(
              "R8",
              closed + "; re-addressed to its successor " + successor.name(),
              unit.sorId(),
              successor.sorId());
          unit = successor;
          sor = successor.sorId();
          givenNameApplies = false;
        }
        default -> throw new IllegalStateException();
      }
    }

    // R11 for an owner (IE: a region, a municipality, a GP partnership): decided before any EAN is
    // completed, so an owner without a location number is "too coarse", not "unknown" (R5).
    private void rejectOwner() {
      if (unit.level() == RegistryUnit.Level.IE) {
        t.fail(
            "R11",
            "unit " + sor + " is an institution owner (IE), too coarse to be a clinical recipient",
            UNABLE_TO_RECEIVE_TYPE,
            t.alternatives().nearby(unit));
      }
    }

    // R17: a unit registered before it opens (SOR FirstFromDate after today) is not yet a
    // recipient, even where its successor chain or EAN already points to it.
    private void notYetOpen() {
      if (unit.validFrom() != null && unit.validFrom().isAfter(today)) {
        t.hold(
            "R17",
            "unit "
                + sor
                + " opens on "
                + unit.validFrom()
                + "; re-checked from that day and after each snapshot import",
            RECEIVER_UNKNOWN,
            List.of());
      }
    }

    // R5, R7
    private void completeGln() {
      if (gln == null) {
        if (unit.effectiveGln() == null) {
          t.fail(
              "R5",
              "unit " + sor + " has no EAN location number, own or inherited",
              RECEIVER_UNKNOWN,
              t.alternatives().nearby(unit));
        }
        gln = unit.effectiveGln();
        t.fix(
            "R5",
            unit.ownGln() != null
                ? "EAN filled from the unit's own location number"
                : "EAN filled from the location number inherited from " + unit.effectiveGlnFrom(),
            null,
            gln);
      } else if (!gln.equals(unit.effectiveGln())) {
        t.hold(
            "R7",
            "SOR "
                + sor
                + " and EAN "
                + gln
                + " do not belong together (the unit's EAN is "
                + unit.effectiveGln()
                + ")",
            RECEIVER_UNKNOWN,
            conflictCandidates());
      }
    }

    private List<Suggestion> conflictCandidates() {
      List<Suggestion> candidates = new ArrayList<>();
      if (unit.effectiveGln() != null) {
        candidates.add(
            t.alternatives().suggest(unit, "the unit named by the SOR code, with its own EAN"));
      }
      snapshot
          .owners(gln)
          .forEach(
              owner ->
                  snapshot
                      .unit(owner)
                      .ifPresent(
                          u ->
                              candidates.add(
                                  t.alternatives()
                                      .suggest(u, "the unit that owns the given EAN"))));
      return candidates;
    }

    // R12, R11, R10
    private void checkPostbox() {
      RegistryLocation box = location(unit).orElse(null);
      if (box == null) {
        t.fail(
            "R10",
            "EAN " + gln + " has no registered message types",
            UNABLE_TO_RECEIVE_TYPE,
            t.alternatives().nearby(unit));
      }
      if (box.onlyInternal()) {
        t.fail(
            "R12",
            "EAN " + gln + " is an internal-only postbox, not an external recipient",
            RECEIVER_UNKNOWN,
            t.alternatives().nearby(unit));
      }
      RegistryUnit owner = snapshot.unit(box.ownerSorId()).orElse(unit);
      if (owner != unit && !owner.activeOn(today)) {
        // An inherited postbox goes with its owner: a ward left active under a closed hospital
        // was addressed to the closed hospital's postbox when the register had not flagged it.
        t.fail(
            "R9",
            "EAN "
                + gln
                + " is the postbox of unit "
                + owner.sorId()
                + ", closed "
                + owner.validTo()
                + "; not used for a unit that inherits it",
            MAILBOX_OUT_OF_OPERATION,
            t.alternatives().nearby(unit));
      }
      if (box.outOfOperationOn(today)) {
        t.fail(
            "R9",
            "EAN "
                + gln
                + (box.nonActive()
                    ? " is not active"
                    : " is out of operation: its registry period ended " + box.validTo()),
            MAILBOX_OUT_OF_OPERATION,
            t.alternatives().nearby(unit));
      }
      if (!type.acceptedBy(box.receives(), box.payloadTypes())) {
        String rule = unit.level() == RegistryUnit.Level.SI ? "R11" : "R10";
        t.fail(
            rule,
            "EAN "
                + gln
                + " cannot receive "
                + type.eventCode()
                + " ("
                + type.sorEdiCode()
                + " not registered)",
            UNABLE_TO_RECEIVE_TYPE,
            t.alternatives().nearby(unit));
      }
      otherOwners(box);
      if (owner != unit && owner.validFrom() != null && owner.validFrom().isAfter(today)) {
        // As for a closed owner: a section registered as open under a department that opens later
        // would otherwise be sent to the department's postbox before anyone reads it.
        t.hold(
            "R17",
            "EAN "
                + gln
                + " is the postbox of unit "
                + owner.sorId()
                + ", which opens on "
                + owner.validFrom()
                + "; not used before then by a unit that inherits it (re-checked from that day and"
                + " after each snapshot import)",
            MAILBOX_OUT_OF_OPERATION,
            List.of());
      }
      if (box.notYetInForceOn(today) && !box.nonActive()) {
        // Registered in advance (an EER Endpoint's period.start, a SOR location's FirstFromDate):
        // not yet the postbox, however active it is flagged. Held, not failed: it will be.
        t.hold(
            "R17",
            "EAN "
                + gln
                + " is not in force before "
                + box.validFrom()
                + " (registry period start); re-checked from that day and after each snapshot"
                + " import",
            MAILBOX_OUT_OF_OPERATION,
            List.of());
      }
    }

    // R6 for an address that names its unit: two owners of one EAN is a register error (a postbox
    // belongs to one unit, addressing.md §0.1), and the postbox may be read by the other
    // organisation. Only owners that receive there today count: a closed predecessor whose EAN its
    // successor took over, or a unit registered to take it over later, does not.
    private void otherOwners(RegistryLocation box) {
      List<RegistryUnit> others =
          snapshot.owners(gln).stream()
              .filter(o -> !o.equals(box.ownerSorId()))
              .map(snapshot::unit)
              .flatMap(Optional::stream)
              .filter(o -> o.activeOn(today))
              .filter(o -> o.validFrom() == null || !o.validFrom().isAfter(today))
              .filter(
                  o ->
                      snapshot
                          .location(gln, o.sorId(), today)
                          .map(l -> l.receivingOn(today))
                          .orElse(false))
              .toList();
      if (others.isEmpty()) {
        return;
      }
      List<Suggestion> owners = new ArrayList<>();
      snapshot
          .unit(box.ownerSorId())
          .ifPresent(o -> owners.add(t.alternatives().suggest(o, "owns this EAN")));
      others.forEach(o -> owners.add(t.alternatives().suggest(o, "owns this EAN too")));
      t.hold(
          "R6",
          "EAN "
              + gln
              + " is owned by several units ("
              + box.ownerSorId()
              + ", "
              + String.join(", ", others.stream().map(RegistryUnit::sorId).toList())
              + "); whose postbox it is cannot be confirmed, an operator must choose",
          RECEIVER_UNKNOWN,
          owners);
    }

    private Optional<RegistryLocation> location(RegistryUnit u) {
      return u.effectiveGln() == null
          ? Optional.empty()
          : snapshot.location(u.effectiveGln(), u.effectiveGlnFrom(), today);
    }
  }
}
