package dk.sektorbro.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 14's targets, judged on the figures of {@link TargetsBenchmark}'s runs (each run's {@link
 * Summary} by the run's name). A target whose run did not send every record it was given is not
 * met, whatever its figure: a fast run that failed messages says nothing about speed.
 */
final class Targets {

  static final double FLOOR_SHARE_PERCENT = 50;
  static final double P99_MILLIS = 100;
  static final double READY_SECONDS = 10;
  static final double HEAP_MB = 512;

  /** One line of the report: what, the target, what was measured and whether it is met. */
  record Row(String figure, String target, String measured, Boolean met) {

    /** A figure reported beside the targets, with none of its own. */
    static Row info(String figure, String measured) {
      return new Row(figure, "", measured, null);
    }

    String verdict() {
      return met == null ? "" : met ? "met" : "NOT MET";
    }
  }

  private Targets() {}

  static List<Row> judge(Map<String, Map<String, Double>> runs) {
    Map<String, Double> fast = runs.get("fast");
    Map<String, Double> reference = runs.get("reference");
    Map<String, Double> paced = runs.get("paced");
    Map<String, Double> heap = runs.get("heap");
    Map<String, Double> ready = runs.get("ready");
    Map<String, Double> validation = runs.get("validation");
    List<Row> rows = new ArrayList<>();
    rows.add(
        new Row(
            "end-to-end flow (fast) against the build+encode floor",
            ">= " + number(FLOOR_SHARE_PERCENT) + " %",
            format(
                "%.1f %% (%.1f of %.1f messages/s)%s",
                fast.get("flow_percent_of_floor"),
                fast.get("flow_per_second"),
                fast.get("floor_per_second"),
                unsent(fast)),
            allSent(fast) && fast.get("flow_percent_of_floor") >= FLOOR_SHARE_PERCENT));
    rows.add(
        new Row(
            format("p99 intake to postbox at half the fast flow (%.0f/s)", paced.get("rate")),
            "< " + number(P99_MILLIS) + " ms",
            format(
                "%.0f ms (p50 %.0f, max %.0f)%s",
                paced.get("latency_p99_ms"),
                paced.get("latency_p50_ms"),
                paced.get("latency_max_ms"),
                unsent(paced)),
            allSent(paced) && paced.get("latency_p99_ms") < P99_MILLIS));
    rows.add(readyRow(ready));
    rows.add(
        new Row(
            format(
                "peak heap, %.0f records at -Xmx%.0fm",
                heap.get("records"), heap.get("max_heap_mb")),
            "<= " + number(HEAP_MB) + " MB",
            format("%.0f MB%s", heap.get("peak_heap_mb"), unsent(heap)),
            allSent(heap) && heap.get("peak_heap_mb") <= HEAP_MB));
    rows.add(
        Row.info(
            "end-to-end flow (reference: HAPI on every message)",
            format(
                "%.1f messages/s (%.1f %% of the floor)%s",
                reference.get("flow_per_second"),
                reference.get("flow_percent_of_floor"),
                unsent(reference))));
    rows.add(
        Row.info(
            "validation CPU per message, one thread: fast p50 / p99",
            format(
                "%.0f / %.0f µs",
                validation.get("fast_cpu_p50_us"), validation.get("fast_cpu_p99_us"))));
    rows.add(
        Row.info(
            "validation CPU per message, one thread: reference p50 / p99",
            format(
                "%.0f / %.0f µs",
                validation.get("reference_cpu_p50_us"), validation.get("reference_cpu_p99_us"))));
    rows.add(
        Row.info(
            "CPU per message (fast): gateway + PostgreSQL",
            format(
                "%.2f + %.2f ms; floor %.2f ms",
                fast.get("gateway_cpu_ms"),
                fast.getOrDefault("postgres_cpu_ms", Double.NaN),
                fast.get("floor_cpu_ms"))));
    return rows;
  }

  /**
   * Judged as production starts (the installed release with its class data sharing archive,
   * restarted) when that was measured; else on the nested jar, and the row says so.
   */
  private static Row readyRow(Map<String, Double> ready) {
    String target = "< " + number(READY_SECONDS) + " s";
    Double installed = ready.get("installed_ready_seconds_max");
    if (installed == null) {
      return new Row(
          "JVM start to ready, nested jar (no release archive given), longest run",
          target,
          format(
              "%.1f s (median %.1f s of %.0f runs)",
              ready.get("ready_seconds_max"),
              ready.get("ready_seconds_median"),
              ready.get("ready_runs")),
          ready.get("ready_seconds_max") < READY_SECONDS);
    }
    return new Row(
        "JVM start to ready, installed release restarting, longest run",
        target,
        format(
            "%.1f s (median %.1f, %s archive; nested jar %.1f)",
            installed,
            ready.get("installed_ready_seconds_median"),
            ready.getOrDefault("archive", 0.0) > 0 ? "with its class data sharing" : "without a",
            ready.get("ready_seconds_max")),
        installed < READY_SECONDS);
  }

  /** Every record of the run, warm-up ones included, ended SENT and none FAILED. */
  static boolean allSent(Map<String, Double> run) {
    double expected = run.get("records") + run.getOrDefault("warmup", 0.0);
    return run.get("sent") >= expected && run.get("failed") == 0;
  }

  private static String unsent(Map<String, Double> run) {
    return allSent(run)
        ? ""
        : format(
            "; only %.0f of %.0f sent, %.0f failed",
            run.get("sent"),
            run.get("records") + run.getOrDefault("warmup", 0.0),
            run.get("failed"));
  }

  private static String number(double value) {
    return format("%.0f", value);
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }
}
