package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.delivery.DeliveryHealth;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Reads the dashboard: counts per state and stage, the hourly chart, failure reasons, route and
 * outbox health.
 */
@Service
public class DashboardService {

  private final AdminQueries queries;
  private final RouteControl routes;
  private final Path outbox;
  private final DeliveryHealth delivery;

  public DashboardService(
      AdminQueries queries,
      RouteControl routes,
      GatewayProperties properties,
      DeliveryHealth delivery) {
    this.delivery = delivery;
    this.queries = queries;
    this.routes = routes;
    this.outbox = properties.outboxDir();
  }

  public Dashboard read() {
    OffsetDateTime now = queries.now();
    OffsetDateTime day = now.minusHours(24);
    OffsetDateTime week = now.minusDays(7);
    return new Dashboard(
        queries.countsByState(day),
        queries.countsByState(week),
        stages(queries.countsByStage(day), queries.countsByStage(week)),
        HourlyChart.of(now, queries.receivedTimes(day), queries.failureTimes(day)),
        queries.failuresByReason(20),
        routes.routes(),
        outboxHealth(),
        delivery.recipientsWithFailures(1));
  }

  private static List<Dashboard.StageRow> stages(
      List<AdminQueries.StageCount> day, List<AdminQueries.StageCount> week) {
    Map<String, AdminQueries.StageCount> byStage = new HashMap<>();
    day.forEach(c -> byStage.put(c.stage(), c));
    return week.stream()
        .map(
            w -> {
              AdminQueries.StageCount d = byStage.get(w.stage());
              return new Dashboard.StageRow(
                  w.stage(),
                  d == null ? 0 : d.total(),
                  d == null ? 0 : d.failed(),
                  w.total(),
                  w.failed());
            })
        .toList();
  }

  private Dashboard.OutboxHealth outboxHealth() {
    long free = 0;
    try {
      if (Files.isDirectory(outbox)) {
        free = Files.getFileStore(outbox).getUsableSpace() / (1024 * 1024);
      }
    } catch (IOException e) {
      free = 0;
    }
    return new Dashboard.OutboxHealth(
        outbox.toString(), Files.isDirectory(outbox) && Files.isWritable(outbox), free);
  }
}
