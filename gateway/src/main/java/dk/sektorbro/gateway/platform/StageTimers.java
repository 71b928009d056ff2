package dk.sektorbro.gateway.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * One metric naming scheme: {@code gateway.stage.duration{stage=...}} with histogram and p50/p99.
 */
public final class StageTimers {

  private StageTimers() {}

  public static Timer timer(MeterRegistry meters, String stage, String description) {
    return Timer.builder("gateway.stage.duration")
        .tag("stage", stage)
        .description(description)
        .publishPercentileHistogram()
        .publishPercentiles(0.5, 0.99)
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(meters);
  }
}
