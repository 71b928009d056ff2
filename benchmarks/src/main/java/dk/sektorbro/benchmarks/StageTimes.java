package dk.sektorbro.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationContext;

/** Per-stage timings from the gateway's own Micrometer timers (validation reported on its own line). */
final class StageTimes {

  private StageTimes() {}

  static void print(ApplicationContext gateway) {
    MeterRegistry meters = gateway.getBean(MeterRegistry.class);
    for (String stage : new String[] {"intake", "translate", "validate", "deliver"}) {
      Timer timer = meters.find("gateway.stage.duration").tag("stage", stage).timer();
      if (timer == null) {
        continue;
      }
      HistogramSnapshot snapshot = timer.takeSnapshot();
      double p50 = valueAt(snapshot, 0.5);
      double p99 = valueAt(snapshot, 0.99);
      System.out.printf(Locale.ROOT, "stage %-9s per message    p50 %.1f ms, p99 %.1f ms, mean %.1f ms (n=%d)%n",
          stage, p50, p99, snapshot.mean(TimeUnit.MILLISECONDS), snapshot.count());
    }
  }

  private static double valueAt(HistogramSnapshot snapshot, double percentile) {
    for (ValueAtPercentile v : snapshot.percentileValues()) {
      if (Math.abs(v.percentile() - percentile) < 1e-9) {
        return v.value(TimeUnit.MILLISECONDS);
      }
    }
    return Double.NaN;
  }
}
