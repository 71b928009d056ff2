package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.delivery.ReleasePoint;
import dk.sektorbro.gateway.gate.StageDispatch;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * After a snapshot import, every message held for its address goes back through the gates: the new
 * snapshot may know the unit, its successor or its message types. Messages an operator must still
 * decide on are simply held again, with the new snapshot's explanation.
 */
@Component
public class HeldAddressRecheck {

  private static final int PAGE = 200;

  /** The rule a not-yet-in-force hold names in its reason (ResolutionTrail: "(R17)"). */
  static final String NOT_YET_IN_FORCE = "(R17)";

  private final Journal journal;
  private final StageDispatch dispatcher;
  private final ReleasePoint releasePoint;

  public HeldAddressRecheck(Journal journal, StageDispatch dispatcher, ReleasePoint releasePoint) {
    this.journal = journal;
    this.dispatcher = dispatcher;
    this.releasePoint = releasePoint;
  }

  /** Returns how many held messages were sent back to the gates. */
  public int releaseAll(String snapshotId) {
    return release(
        entry -> true,
        "re-check of the address after registry snapshot " + snapshotId + " was imported");
  }

  /**
   * The daily re-check (AddressingTimers) of messages held because their postbox or unit was not
   * yet in force (R17): the day may have come. Only those: an unknown address (R13) waits for a new
   * snapshot, and a second look at the same snapshot would fail it.
   */
  public int releaseNotYetInForce() {
    return release(
        entry -> entry.stateReason() != null && entry.stateReason().contains(NOT_YET_IN_FORCE),
        "re-check of an address that was not yet in force (R17), on a new register day");
  }

  private int release(Predicate<JournalEntry> which, String why) {
    List<String> held = new ArrayList<>();
    for (int page = 0; ; page++) {
      List<JournalEntry> found =
          journal.search(
              new JournalQuery(MessageState.HELD_ADDRESS, null, null, null, null, page, PAGE));
      found.stream().filter(which).forEach(e -> held.add(e.id()));
      if (found.size() < PAGE) {
        break;
      }
    }
    int released = 0;
    for (String id : held) {
      JournalEntry entry = journal.find(id).orElse(null);
      if (entry == null) {
        continue;
      }
      // A re-delivery stopped at the postbox keeps its message (same MessageHeader id, same bytes):
      // the delivery guard re-checks that address; everything else is addressed afresh at the
      // gates.
      MessageState to = releasePoint.afterAddressHold(entry);
      if (journal.transition(
          id,
          List.of(MessageState.HELD_ADDRESS),
          to,
          AddressingGate.STAGE,
          why + (to == MessageState.VALIDATED ? " (the same message goes to delivery)" : ""),
          null)) {
        dispatcher.resume(id, to);
        released++;
      }
    }
    return released;
  }
}
