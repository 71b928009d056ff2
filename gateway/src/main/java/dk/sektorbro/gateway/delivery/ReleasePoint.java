package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where a held message goes when it is released (by a consent, an administrator or a new registry
 * snapshot). A message a delivery guard stopped right before the postbox write already is its
 * MedCom message, possibly a resend of one the recipient has: it goes back to delivery as it is
 * (VALIDATED: same MessageHeader id, and the bytes fixed before its first attempt), so a resend
 * never becomes a second message. A message held at the gates goes back through them and is
 * translated afresh: nobody has seen it.
 */
@Component
public class ReleasePoint {

  /** The states of a message being delivered, in which a delivery guard may stop it. */
  private static final List<MessageState> DELIVERING =
      List.of(MessageState.VALIDATED, MessageState.RETRYING, MessageState.SENT);

  private final Journal journal;
  private final FixedOutboundMessages fixed;

  public ReleasePoint(Journal journal, FixedOutboundMessages fixed) {
    this.journal = journal;
    this.fixed = fixed;
  }

  /**
   * A consent hold: the content does not change with a consent or a legal basis, so a message held
   * at delivery keeps its MedCom message, whether or not it had been attempted before.
   */
  public MessageState afterConsentHold(JournalEntry entry) {
    return entry.fhirMessage() != null
            && heldAtDelivery(journal.history(entry.id()), MessageState.HELD_CONSENT)
        ? MessageState.VALIDATED
        : MessageState.RECEIVED;
  }

  /**
   * An address hold: a message held at delivery that had a delivery attempt before (its bytes are
   * fixed) keeps them, and the address guard decides on that same message again. One never
   * attempted goes back to the gates, where addressing may apply a successor and it is translated
   * anew.
   */
  public MessageState afterAddressHold(JournalEntry entry) {
    return entry.fhirMessage() != null
            && heldAtDelivery(journal.history(entry.id()), MessageState.HELD_ADDRESS)
            && fixed.prepared(entry.id())
        ? MessageState.VALIDATED
        : MessageState.RECEIVED;
  }

  /**
   * A delivery guard's hold of a message whose bytes were fixed by an earlier attempt: it may have
   * left before.
   */
  public boolean mayHaveLeft(JournalEntry entry) {
    return entry.fhirMessage() != null
        && heldAtDelivery(journal.history(entry.id()), entry.state())
        && fixed.prepared(entry.id());
  }

  /**
   * True when the latest hold in {@code held} was made while the message was being delivered: the
   * state before the trailing run of {@code held} events (later ones are notes made while held) is
   * one of delivery's.
   */
  public static boolean heldAtDelivery(List<JournalEvent> history, MessageState held) {
    int i = history.size() - 1;
    if (i < 0 || history.get(i).state() != held) {
      return false;
    }
    while (i > 0 && history.get(i - 1).state() == held) {
      i--;
    }
    return i > 0 && DELIVERING.contains(history.get(i - 1).state());
  }
}
