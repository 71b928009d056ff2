package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import java.time.Duration;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * What the work engine still has to do for one sent-but-unfinished message: the data of its {@code
 * message-delivery} execution (one per message, named by the journal id; its time is when it is
 * due).
 *
 * @param attempts transport attempts that failed in a row (0 after a successful send)
 * @param resends resends made so far for want of an acknowledgement
 * @param sentBundleId the Bundle.id whose acknowledgement is awaited (ACK_DEADLINE, RESEND), null
 *     before the first send and in work stored before it was kept: a resend step that finds the
 *     entry carrying another Bundle made its renewal already (a run repeated after a crash)
 */
public record DeliveryWork(
    Purpose purpose,
    String recipientGln,
    int attempts,
    int resends,
    String lastError,
    String sentBundleId) {

  public DeliveryWork(
      Purpose purpose, String recipientGln, int attempts, int resends, String lastError) {
    this(purpose, recipientGln, attempts, resends, lastError, null);
  }

  /**
   * What is due: a transport retry, the acknowledgement deadline, or a resend after
   * transient-error.
   */
  public enum Purpose {
    SEND,
    ACK_DEADLINE,
    RESEND
  }

  public static DeliveryWork first(String gln) {
    return new DeliveryWork(Purpose.SEND, gln, 0, 0, null);
  }

  public DeliveryWork as(Purpose next) {
    return new DeliveryWork(next, recipientGln, attempts, resends, lastError, sentBundleId);
  }

  public DeliveryWork failedAttempt(String error) {
    return new DeliveryWork(Purpose.SEND, recipientGln, attempts + 1, resends, error, sentBundleId);
  }

  public DeliveryWork sent() {
    return sent(null);
  }

  /** The acknowledgement deadline of Bundle {@code bundleId}, just sent. */
  public DeliveryWork sent(String bundleId) {
    return new DeliveryWork(Purpose.ACK_DEADLINE, recipientGln, 0, resends, null, bundleId);
  }

  public DeliveryWork resent() {
    return new DeliveryWork(purpose, recipientGln, attempts, resends + 1, lastError, sentBundleId);
  }

  /**
   * True when the entry no longer carries the Bundle this work awaits an acknowledgement for: only
   * a resend's renewal replaces it while the work stands, so this resend step renewed it already.
   */
  public boolean renewedSince(String entryBundleId) {
    return sentBundleId != null && !sentBundleId.equals(entryBundleId);
  }

  /**
   * Wait before transport retry n: Spring's exponential back-off, {@code initial *
   * multiplier^(n-1)}, capped.
   */
  public static Duration retryDelay(DeliveryProperties.Retry retry, int failedAttempts) {
    ExponentialBackOff backOff =
        new ExponentialBackOff(retry.initialDelay().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxDelay().toMillis());
    BackOffExecution execution = backOff.start();
    long millis = execution.nextBackOff();
    for (int n = 1; n < failedAttempts; n++) {
      millis = execution.nextBackOff();
    }
    return Duration.ofMillis(millis);
  }
}
