package dk.sektorbro.gateway.delivery;

import java.time.OffsetDateTime;

/**
 * The delivery scheduler's durable to-do for one message.
 *
 * @param attempts transport attempts that failed in a row (0 after a successful send)
 * @param resends resends made so far for want of an acknowledgement
 */
public record ScheduleRow(
    String entryId, Purpose purpose, OffsetDateTime dueAt, String recipientGln, int attempts, int resends,
    String lastError) {

  /** What is due: a transport retry, the acknowledgement deadline, or a resend after transient-error. */
  public enum Purpose { SEND, ACK_DEADLINE, RESEND }

  public static ScheduleRow first(String entryId, String gln) {
    return new ScheduleRow(entryId, Purpose.SEND, null, gln, 0, 0, null);
  }

  public ScheduleRow due(Purpose next, OffsetDateTime at) {
    return new ScheduleRow(entryId, next, at, recipientGln, attempts, resends, lastError);
  }

  public ScheduleRow failedAttempt(String error, OffsetDateTime retryAt) {
    return new ScheduleRow(entryId, Purpose.SEND, retryAt, recipientGln, attempts + 1, resends, error);
  }

  public ScheduleRow sent(OffsetDateTime ackDeadline) {
    return new ScheduleRow(entryId, Purpose.ACK_DEADLINE, ackDeadline, recipientGln, 0, resends, null);
  }

  public ScheduleRow resent() {
    return new ScheduleRow(entryId, purpose, dueAt, recipientGln, attempts, resends + 1, lastError);
  }
}
