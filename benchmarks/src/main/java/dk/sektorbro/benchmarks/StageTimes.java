package dk.sektorbro.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ApplicationContext;

/**
 * Per-stage timings from the gateway's own Micrometer timers (validation reported on its own line).
 */
final class StageTimes {

  private StageTimes() {}

  static void print(ApplicationContext gateway, Summary summary) {
    MeterRegistry meters = gateway.getBean(MeterRegistry.class);
    for (String stage : new String[] {"intake", "translate", "validate", "deliver"}) {
      Timer timer = meters.find("gateway.stage.duration").tag("stage", stage).timer();
      if (timer == null) {
        continue;
      }
      HistogramSnapshot snapshot = timer.takeSnapshot();
      double p50 = valueAt(snapshot, 0.5);
      double p99 = valueAt(snapshot, 0.99);
      summary.put(stage + "_p50_ms", p50);
      summary.put(stage + "_p99_ms", p99);
      summary.put(stage + "_mean_ms", snapshot.mean(TimeUnit.MILLISECONDS));
      System.out.printf(
          Locale.ROOT,
          "stage %-9s per message    p50 <= %.1f ms, p99 <= %.1f ms, mean %.1f ms (n=%d)%n",
          stage,
          p50,
          p99,
          snapshot.mean(TimeUnit.MILLISECONDS),
          snapshot.count());
    }
  }

  /**
   * The fast validator's hit rate per chain (messages answered from its memory rather than by
   * HAPI).
   */
  static void printFastMemory(ApplicationContext gateway) {
    MeterRegistry meters = gateway.getBean(MeterRegistry.class);
    Map<String, double[]> byChain = new TreeMap<>();
    for (var counter : meters.find("gateway.validation.fast.lookups").counters()) {
      double[] hitMiss =
          byChain.computeIfAbsent(counter.getId().getTag("chain"), c -> new double[2]);
      hitMiss["hit".equals(counter.getId().getTag("result")) ? 0 : 1] += counter.count();
    }
    if (byChain.isEmpty()) {
      System.out.println("fast validator memory         not used (mode reference)");
    }
    byChain.forEach(
        (chain, hm) ->
            System.out.printf(
                Locale.ROOT,
                "fast validator memory         %s: %.0f hits, %.0f misses (HAPI), hit rate %.2f %%%n",
                chain,
                hm[0],
                hm[1],
                100 * hm[0] / (hm[0] + hm[1])));
  }

  /**
   * The percentile from the cumulative histogram buckets (the whole run, at bucket resolution of
   * about 10 %), not from the client-side percentiles: those cover a sliding window only and read 0
   * for a stage that finished its work a while before the report.
   */
  private static double valueAt(HistogramSnapshot snapshot, double percentile) {
    double wanted = Math.ceil(percentile * snapshot.count());
    for (CountAtBucket bucket : snapshot.histogramCounts()) {
      if (bucket.count() >= wanted) {
        return bucket.bucket(TimeUnit.MILLISECONDS);
      }
    }
    return Double.NaN;
  }
}
