package dk.sektorbro.gateway.delivery;

import java.time.Duration;

/** Exponential back-off for transport retries: retry n waits {@code initial * multiplier^(n-1)}, capped. */
public final class BackOff {

  private BackOff() {}

  public static Duration delay(DeliveryProperties.Retry retry, int failedAttempts) {
    double factor = Math.pow(retry.multiplier(), Math.max(0, failedAttempts - 1));
    double millis = retry.initialDelay().toMillis() * factor;
    return millis >= retry.maxDelay().toMillis() ? retry.maxDelay() : Duration.ofMillis((long) millis);
  }
}
