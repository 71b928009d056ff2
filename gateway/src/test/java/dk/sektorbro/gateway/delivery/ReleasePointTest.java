package dk.sektorbro.gateway.delivery;

import static dk.sektorbro.gateway.journal.MessageState.FAILED;
import static dk.sektorbro.gateway.journal.MessageState.HELD_ADDRESS;
import static dk.sektorbro.gateway.journal.MessageState.HELD_CONSENT;
import static dk.sektorbro.gateway.journal.MessageState.RECEIVED;
import static dk.sektorbro.gateway.journal.MessageState.RETRYING;
import static dk.sektorbro.gateway.journal.MessageState.SENT;
import static dk.sektorbro.gateway.journal.MessageState.TRANSLATED;
import static dk.sektorbro.gateway.journal.MessageState.VALIDATED;
import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a released hold goes: a hold made during delivery keeps the message, one made at the gates
 * does not.
 */
class ReleasePointTest {

  @Test
  void aResendStoppedBeforeThePostbox_wasHeldAtDelivery() {
    assertThat(
            ReleasePoint.heldAtDelivery(
                history(RECEIVED, TRANSLATED, VALIDATED, SENT, VALIDATED, HELD_CONSENT),
                HELD_CONSENT))
        .isTrue();
    assertThat(
            ReleasePoint.heldAtDelivery(
                history(RECEIVED, TRANSLATED, VALIDATED, RETRYING, HELD_ADDRESS, HELD_ADDRESS),
                HELD_ADDRESS))
        .isTrue();
  }

  @Test
  void aHoldAtTheGates_evenOfAMessageTranslatedBefore_isNot() {
    assertThat(ReleasePoint.heldAtDelivery(history(RECEIVED, HELD_CONSENT), HELD_CONSENT))
        .isFalse();
    // Edited after a failure and held at the gate again: its old translation no longer matches the
    // record.
    assertThat(
            ReleasePoint.heldAtDelivery(
                history(RECEIVED, TRANSLATED, VALIDATED, FAILED, RECEIVED, HELD_CONSENT),
                HELD_CONSENT))
        .isFalse();
    assertThat(
            ReleasePoint.heldAtDelivery(
                history(RECEIVED, TRANSLATED, VALIDATED, HELD_CONSENT), HELD_ADDRESS))
        .isFalse();
    assertThat(ReleasePoint.heldAtDelivery(history(), HELD_CONSENT)).isFalse();
  }

  private static List<JournalEvent> history(MessageState... states) {
    List<JournalEvent> events = new ArrayList<>();
    for (MessageState s : states) {
      events.add(
          new JournalEvent(events.size() + 1, OffsetDateTime.now(), s, "stage", "reason", null));
    }
    return events;
  }
}
