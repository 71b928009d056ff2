package dk.sektorbro.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {

  @TempDir Path dir;

  @Test
  void eachTarget_isMetOnlyAtItsBound_andReportFiguresHaveNoVerdict() {
    List<Targets.Row> met = Targets.judge(runs(50.0, 99.0, 9.9, 512.0, 0));
    assertThat(met.subList(0, 4)).extracting(Targets.Row::met).containsOnly(true);
    assertThat(met.subList(4, met.size()))
        .extracting(Targets.Row::met)
        .containsOnly((Boolean) null);
    assertThat(met.get(0).measured()).startsWith("50.0 % (").contains("of 1000.0 messages/s");

    List<Targets.Row> missed = Targets.judge(runs(49.9, 100.0, 10.0, 513.0, 0));
    assertThat(missed.subList(0, 4)).extracting(Targets.Row::verdict).containsOnly("NOT MET");
  }

  @Test
  void aRunThatDidNotSendEveryRecord_meetsNoTarget_andSaysSo() {
    List<Targets.Row> rows = Targets.judge(runs(80.0, 10.0, 5.0, 300.0, 1));
    assertThat(rows.get(0).met()).isFalse();
    assertThat(rows.get(0).measured()).contains("only 16999 of 17000 sent, 1 failed");
    assertThat(rows.get(1).met()).isFalse();
    assertThat(rows.get(3).met()).isFalse();
    // ready has no records: judged on its time alone
    assertThat(rows.get(2).met()).isTrue();
  }

  @Test
  void ready_isJudgedOnTheInstalledRestart_whenItWasMeasured_elseOnTheNestedJar() {
    Map<String, Map<String, Double>> runs = runs(50.0, 10.0, 15.0, 300.0, 0);
    Targets.Row nested = Targets.judge(runs).get(2);
    assertThat(nested.figure()).contains("nested jar");
    assertThat(nested.met()).isFalse();

    Map<String, Double> ready = new HashMap<>(runs.get("ready"));
    ready.put("installed_ready_seconds_max", 7.5);
    ready.put("installed_ready_seconds_median", 7.1);
    ready.put("archive", 1.0);
    runs.put("ready", ready);
    Targets.Row installed = Targets.judge(runs).get(2);
    assertThat(installed.figure()).contains("installed release");
    assertThat(installed.measured()).startsWith("7.5 s").contains("nested jar 15.0");
    assertThat(installed.met()).isTrue();
  }

  @Test
  void figures_goThroughTheSummaryFile() throws Exception {
    Summary summary = new Summary();
    summary.put("flow_per_second", 258.125);
    summary.put("sent", 17000);
    Path file = dir.resolve("fast.properties");
    summary.writeTo(file);
    assertThat(Summary.read(file))
        .containsEntry("flow_per_second", 258.125)
        .containsEntry("sent", 17000.0);
  }

  private static Map<String, Map<String, Double>> runs(
      double floorShare, double p99, double ready, double heap, int failed) {
    Map<String, Map<String, Double>> runs = new LinkedHashMap<>();
    runs.put(
        "fast",
        pipeline(
            15_000,
            2000,
            failed,
            Map.of(
                "flow_percent_of_floor",
                floorShare,
                "flow_per_second",
                floorShare * 10,
                "floor_per_second",
                1000.0)));
    runs.put(
        "reference",
        pipeline(300, 300, 0, Map.of("flow_percent_of_floor", 2.0, "flow_per_second", 20.0)));
    runs.put("paced", pipeline(15_000, 4000, failed, Map.of("latency_p99_ms", p99, "rate", 125.0)));
    runs.put(
        "heap", pipeline(0, 10_000, failed, Map.of("peak_heap_mb", heap, "max_heap_mb", 512.0)));
    runs.put(
        "ready",
        Map.of("ready_seconds_max", ready, "ready_seconds_median", ready, "ready_runs", 3.0));
    runs.put(
        "validation",
        Map.of(
            "fast_cpu_p50_us",
            300.0,
            "fast_cpu_p99_us",
            900.0,
            "reference_cpu_p50_us",
            20_000.0,
            "reference_cpu_p99_us",
            40_000.0));
    return runs;
  }

  private static Map<String, Double> pipeline(
      int warmup, int records, int failed, Map<String, Double> figures) {
    Map<String, Double> run = new HashMap<>(figures);
    run.put("warmup", (double) warmup);
    run.put("records", (double) records);
    run.put("sent", (double) (warmup + records - failed));
    run.put("failed", (double) failed);
    run.putIfAbsent("latency_p50_ms", 10.0);
    run.putIfAbsent("latency_max_ms", 100.0);
    run.putIfAbsent("floor_per_second", 1000.0);
    run.putIfAbsent("floor_cpu_ms", 0.8);
    run.putIfAbsent("gateway_cpu_ms", 4.0);
    run.putIfAbsent("postgres_cpu_ms", 3.5);
    return run;
  }
}
