package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.DeliverySchedule.Scheduled;
import dk.sektorbro.gateway.delivery.DeliveryWork.Purpose;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Journal state and delivery schedule change together, in one transaction, so a message is never
 * RETRYING or SENT without the schedule row that will move it on (the row survives a restart).
 */
@Component
public class DeliveryBookkeeping {

  private final Journal journal;
  private final DeliverySchedule schedule;
  private final DeliveryProperties properties;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final List<DeliveryFollowUp> followUps;

  public DeliveryBookkeeping(
      Journal journal,
      DeliverySchedule schedule,
      DeliveryProperties properties,
      TransactionTemplate tx,
      Clock clock,
      List<DeliveryFollowUp> followUps) {
    this.followUps = followUps;
    this.journal = journal;
    this.schedule = schedule;
    this.properties = properties;
    this.tx = tx;
    this.clock = clock;
  }

  public void sent(JournalEntry entry, RecipientRoute route, String location) {
    sent(entry, route, location, null);
  }

  /**
   * The message left: SENT, and its acknowledgement deadline. {@code scheduled} is its delivery
   * work as the attempt's fixing statement read it (DeliverySchedule#WORK_OF_ENTRY), null when it
   * did not: then it is read here. Its resend count (for the reason and the new work) does not
   * change between the two reads: only the resend of a SENT message adds one, and the move below is
   * from the state the attempt read. A plain read takes no lock either way: the same rows are
   * written, in the same lock order (journal row, then schedule row).
   */
  public void sent(
      JournalEntry entry, RecipientRoute route, String location, DeliveryWork scheduled) {
    OffsetDateTime now = now();
    // The schedule row is read in the same transaction (one connection for the whole step), unless
    // the attempt read it already; a run of the message's own execution knows it (no read).
    tx.executeWithoutResult(
        status -> {
          DeliveryWork row =
              scheduled != null && !schedule.inRun(entry.id()) ? scheduled : current(entry);
          String reason =
              whereItWent(route, location, entry)
                  + (row.resends() > 0
                      ? " (resend " + row.resends() + " of " + properties.ack().maxResends() + ")"
                      : "")
                  + "; acknowledgement due by "
                  + now.plus(properties.ack().timeout());
          if (journal.sent(
              entry.id(), List.of(entry.state()), entry.bundleId(), location, reason)) {
            schedule.save(
                entry.id(), row.sent(entry.bundleId()), now.plus(properties.ack().timeout()));
            followUps.forEach(f -> f.sent(entry, route));
          } else {
            // The entry moved on while this attempt was under way (an administrator's discard or
            // edit, another node's attempt that made it SENT first), or carries another Bundle now
            // (edited and translated anew): the message left all the same, and the history is
            // where an operator learns what the recipient may hold.
            journal.noteInCurrentState(
                entry.id(),
                DeliveryStage.STAGE,
                whereItWent(route, location, entry)
                    + " by a delivery attempt under way while the entry moved on from "
                    + entry.state()
                    + ": the recipient may hold this message (Bundle "
                    + entry.bundleId()
                    + ")",
                location);
          }
        });
  }

  private static String whereItWent(RecipientRoute route, String location, JournalEntry entry) {
    return (route.transport() == DeliveryProperties.TransportKind.HTTP
            ? "posted to "
            : "written to ")
        + location
        + " for EAN/GLN "
        + entry.recipientGln();
  }

  public void failedTransiently(JournalEntry entry, String error) {
    OffsetDateTime now = now();
    DeliveryWork row = current(entry).failedAttempt(error);
    OffsetDateTime retryAt = now.plus(DeliveryWork.retryDelay(properties.retry(), row.attempts()));
    // The error (exception type, host or folder; never content) in the reason itself, so the admin
    // console's reason filter and the failures-by-reason view find "all stuck on this folder".
    String reason =
        "transport failed (attempt "
            + row.attempts()
            + ": "
            + error
            + "), retry at "
            + retryAt
            + "; still queued";
    // Only while the entry is still in the state and carries the Bundle the attempt read, as in
    // failedPermanently: an attempt of a message an admin's edit replaced neither renames the new
    // message's state nor moves (or counts into) its retry.
    tx.executeWithoutResult(
        status -> {
          boolean moved =
              entry.state() == MessageState.RETRYING
                  ? journal.restateCarrying(
                      entry.id(),
                      entry.bundleId(),
                      MessageState.RETRYING,
                      DeliveryStage.STAGE,
                      reason,
                      error)
                  : journal.transitionCarrying(
                      entry.id(),
                      entry.bundleId(),
                      List.of(entry.state()),
                      MessageState.RETRYING,
                      DeliveryStage.STAGE,
                      reason,
                      error);
          if (moved) {
            schedule.save(entry.id(), row, retryAt);
          } else {
            journal.noteInCurrentState(
                entry.id(),
                DeliveryStage.STAGE,
                staleAttempt(entry, "failed: transport failed (" + error + ")"),
                error);
          }
        });
  }

  /**
   * FAILED, and nothing more to schedule, only while the entry is still in the state and carries
   * the Bundle the attempt read: an attempt under way while an admin's edit replaced the message
   * (e.g. its bytes, the journal's text, are gone with the new translation) fails the message it
   * read, not the new one, whose own delivery (and retry) goes on; the history says so.
   */
  public void failedPermanently(JournalEntry entry, String reason) {
    tx.executeWithoutResult(
        status -> {
          if (journal.transitionCarrying(
              entry.id(),
              entry.bundleId(),
              List.of(entry.state()),
              MessageState.FAILED,
              DeliveryStage.STAGE,
              reason,
              null)) {
            schedule.delete(entry.id());
          } else {
            journal.noteInCurrentState(
                entry.id(), DeliveryStage.STAGE, staleAttempt(entry, "failed: " + reason), null);
          }
        });
  }

  /**
   * The history's note for an attempt whose entry moved on meanwhile (an admin's edit, discard or
   * resend), followed by what happened to it ({@code outcome}).
   */
  static String staleAttempt(JournalEntry entry, String outcome) {
    return "a delivery attempt of Bundle "
        + entry.bundleId()
        + " under way while the entry moved on from "
        + entry.state()
        + " "
        + outcome;
  }

  /** Ends an entry the scheduler gave up on, e.g. FAILED "no acknowledgement". */
  public void fail(String entryId, List<MessageState> from, String reason) {
    tx.executeWithoutResult(
        status -> {
          journal.transition(entryId, from, MessageState.FAILED, DeliveryStage.STAGE, reason, null);
          schedule.delete(entryId);
        });
  }

  /** Schedules a resend after a transient-error acknowledgement. */
  public void resendLater(String entryId, String gln) {
    OffsetDateTime now = now();
    DeliveryWork row = schedule.find(entryId).map(Scheduled::work).orElse(DeliveryWork.first(gln));
    schedule.save(
        entryId, row.as(Purpose.RESEND), now.plus(properties.ack().transientResendDelay()));
  }

  /**
   * An operator fixed the transport's problem: the next retry of a RETRYING entry is due now
   * instead of after its back-off. False when there is no pending retry.
   */
  public boolean retryNow(String entryId) {
    OffsetDateTime now = now();
    return schedule
        .find(entryId)
        .filter(due -> due.work().purpose() == Purpose.SEND)
        .map(due -> schedule.save(entryId, due.work(), now))
        .orElse(false);
  }

  /** The entry is finished or no longer deliverable: nothing left to schedule. */
  public void forget(String entryId) {
    schedule.delete(entryId);
  }

  private DeliveryWork current(JournalEntry entry) {
    return schedule
        .find(entry.id())
        .map(Scheduled::work)
        .orElse(DeliveryWork.first(entry.recipientGln()));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
