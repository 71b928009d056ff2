package dk.sektorbro.gateway.cluster;

import com.github.kagkarlsson.scheduler.task.Task;
import dk.sektorbro.gateway.platform.DatabaseReachability;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Per kind of work (db-scheduler task name), cluster-wide, from the engine's table: how much is
 * due, how much is running (picked by a node), how much failed its last run, and how long the
 * oldest due item has waited. Metrics {@code gateway.work.due|running|failed|oldest.age} tagged
 * {@code kind}; the same numbers in {@code /actuator/health} ("cluster") and the console's cluster
 * view.
 */
@Component
public class WorkMetrics {

  /** One kind's numbers; {@code oldestDueSeconds} 0 when nothing is due. */
  public record KindStatus(
      String kind, long scheduled, long due, long running, long failed, long oldestDueSeconds) {}

  private final JdbcClient jdbc;
  private final List<String> kinds;
  private Map<String, KindStatus> cached;
  private long cachedAt;

  private final DatabaseReachability reachability;

  public WorkMetrics(
      JdbcClient jdbc,
      List<Task<?>> tasks,
      MeterRegistry meters,
      DatabaseReachability reachability) {
    this.jdbc = jdbc;
    this.reachability = reachability;
    this.kinds = tasks.stream().map(Task::getName).sorted().toList();
    for (String kind : kinds) {
      gauge(
          meters,
          "gateway.work.due",
          kind,
          "Work of this kind due now and not yet picked by a node",
          s -> s.due());
      gauge(
          meters,
          "gateway.work.running",
          kind,
          "Work of this kind being run by a node",
          s -> s.running());
      gauge(
          meters,
          "gateway.work.failed",
          kind,
          "Work of this kind whose last run failed (it is retried)",
          s -> s.failed());
      gauge(
          meters,
          "gateway.work.oldest.age",
          kind,
          "Seconds the oldest due work of this kind has waited",
          s -> s.oldestDueSeconds());
    }
  }

  /** Every kind this node knows, with its numbers (read at most once a second: each gauge asks). */
  public synchronized Map<String, KindStatus> status() {
    long now = System.nanoTime();
    if (cached == null || now - cachedAt > 1_000_000_000L) {
      cached = read();
      cachedAt = now;
    }
    return cached;
  }

  private Map<String, KindStatus> read() {
    Map<String, KindStatus> all = new LinkedHashMap<>();
    for (String kind : kinds) {
      all.put(kind, new KindStatus(kind, 0, 0, 0, 0, 0));
    }
    jdbc.sql(
            """
            SELECT task_name, COUNT(*) AS scheduled,
              COUNT(*) FILTER (WHERE NOT picked AND execution_time <= now()) AS due,
              COUNT(*) FILTER (WHERE picked) AS running,
              COUNT(*) FILTER (WHERE consecutive_failures > 0) AS failed,
              COALESCE(EXTRACT(EPOCH FROM now() - MIN(execution_time) FILTER (WHERE NOT picked
                AND execution_time <= now())), 0) AS oldest
            FROM scheduled_tasks GROUP BY task_name""")
        .query(
            (rs, n) ->
                new KindStatus(
                    rs.getString("task_name"),
                    rs.getLong("scheduled"),
                    rs.getLong("due"),
                    rs.getLong("running"),
                    rs.getLong("failed"),
                    (long) rs.getDouble("oldest")))
        .list()
        .forEach(status -> all.put(status.kind(), status));
    return all;
  }

  private void gauge(
      MeterRegistry meters,
      String name,
      String kind,
      String description,
      ToDoubleFunction<KindStatus> value) {
    // NaN at once while the database does not answer: each gauge waited for a connection in turn.
    Gauge.builder(
            name,
            this,
            metrics -> reachability.orNaN(() -> value.applyAsDouble(metrics.status().get(kind))))
        .tag("kind", kind)
        .description(description)
        .register(meters);
  }
}
