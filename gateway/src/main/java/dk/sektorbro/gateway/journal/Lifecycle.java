package dk.sektorbro.gateway.journal;

import static dk.sektorbro.gateway.journal.MessageState.ACKNOWLEDGED;
import static dk.sektorbro.gateway.journal.MessageState.DISCARDED;
import static dk.sektorbro.gateway.journal.MessageState.EXPIRED;
import static dk.sektorbro.gateway.journal.MessageState.FAILED;
import static dk.sektorbro.gateway.journal.MessageState.HELD_ADDRESS;
import static dk.sektorbro.gateway.journal.MessageState.HELD_CONSENT;
import static dk.sektorbro.gateway.journal.MessageState.QUARANTINED;
import static dk.sektorbro.gateway.journal.MessageState.RECEIVED;
import static dk.sektorbro.gateway.journal.MessageState.REJECTED;
import static dk.sektorbro.gateway.journal.MessageState.RETRYING;
import static dk.sektorbro.gateway.journal.MessageState.SENT;
import static dk.sektorbro.gateway.journal.MessageState.TRANSLATED;
import static dk.sektorbro.gateway.journal.MessageState.VALIDATED;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The message lifecycle, declared once: which state may follow which. {@link Journal} refuses any
 * other move, so a new call site cannot invent a path the README's state table does not show (a
 * test keeps that table and this one equal).
 */
public final class Lifecycle {

  private static final Map<MessageState, Set<MessageState>> NEXT =
      new EnumMap<>(MessageState.class);

  static {
    // The pipeline: gates hold or refuse, translation and validation move on or fail, an unfinished
    // stage started too often is quarantined. An admin edit sends any open entry back to RECEIVED.
    allow(
        RECEIVED, RECEIVED, TRANSLATED, HELD_CONSENT, HELD_ADDRESS, FAILED, QUARANTINED, DISCARDED);
    allow(TRANSLATED, RECEIVED, VALIDATED, FAILED, QUARANTINED, DISCARDED);
    // Delivery guards recheck consent and address before every attempt (also on retries and
    // resends). ACKNOWLEDGED/REJECTED: the recipient's acknowledgement on another channel can come
    // before the attempt under way has recorded the send (inbound.AcknowledgementService).
    allow(
        VALIDATED,
        RECEIVED,
        SENT,
        RETRYING,
        ACKNOWLEDGED,
        REJECTED,
        HELD_CONSENT,
        HELD_ADDRESS,
        FAILED,
        QUARANTINED,
        DISCARDED);
    // SENT again: a resend when no acknowledgement came in time; VALIDATED: an admin's resend.
    allow(
        SENT,
        VALIDATED,
        SENT,
        RETRYING,
        ACKNOWLEDGED,
        REJECTED,
        HELD_CONSENT,
        HELD_ADDRESS,
        FAILED);
    allow(
        RETRYING,
        RECEIVED,
        SENT,
        ACKNOWLEDGED,
        REJECTED,
        HELD_CONSENT,
        HELD_ADDRESS,
        FAILED,
        DISCARDED);
    // A consent hold is released to the gates (RECEIVED) or, held at delivery, to delivery
    // (VALIDATED).
    allow(HELD_CONSENT, RECEIVED, VALIDATED, EXPIRED, FAILED, DISCARDED);
    // An address hold goes back to the gates, or, held at delivery after a delivery attempt, to
    // delivery as the same message (pipeline.ReleasePoint).
    allow(HELD_ADDRESS, RECEIVED, VALIDATED, DISCARDED);
    // A retry resumes at the last unfinished state reached before the failure (admin.RetryPoint).
    allow(FAILED, RECEIVED, TRANSLATED, VALIDATED, DISCARDED);
    allow(QUARANTINED, RECEIVED, TRANSLATED, VALIDATED, DISCARDED);
    allow(REJECTED, RECEIVED, DISCARDED);
    allow(ACKNOWLEDGED);
    allow(EXPIRED);
    allow(DISCARDED);
  }

  private Lifecycle() {}

  /** The states an entry in {@code from} may move to; empty for a terminal state. */
  public static Set<MessageState> next(MessageState from) {
    return Collections.unmodifiableSet(NEXT.get(from));
  }

  public static boolean allows(MessageState from, MessageState to) {
    return NEXT.get(from).contains(to);
  }

  /** True when nothing moves an entry on from {@code state} (ACKNOWLEDGED, EXPIRED, DISCARDED). */
  public static boolean isTerminal(MessageState state) {
    return NEXT.get(state).isEmpty();
  }

  /**
   * Throws when a caller asks for a move the lifecycle does not have: a programming error, found by
   * the first test that takes the path, never a state to journal.
   */
  static void check(Collection<MessageState> from, MessageState to) {
    for (MessageState f : from) {
      if (!allows(f, to)) {
        throw new IllegalArgumentException(
            "the message lifecycle has no transition "
                + f
                + " -> "
                + to
                + " (journal.Lifecycle); allowed from "
                + f
                + ": "
                + NEXT.get(f));
      }
    }
  }

  private static void allow(MessageState from, MessageState... to) {
    Set<MessageState> next = EnumSet.noneOf(MessageState.class);
    next.addAll(List.of(to));
    NEXT.put(from, next);
  }
}
