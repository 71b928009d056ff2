package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.MessageState;
import java.util.List;
import java.util.Map;

/** Everything the dashboard shows, read in one go. */
public record Dashboard(
    Map<MessageState, Long> last24h,
    Map<MessageState, Long> last7d,
    List<AdminQueries.StageCount> stages24h,
    List<AdminQueries.StageCount> stages7d,
    HourlyChart chart,
    List<AdminQueries.ReasonCount> failuresByReason,
    List<RouteView> routes,
    OutboxHealth outbox) {

  /** Whether the postbox root can be written, and the space left there. */
  public record OutboxHealth(String path, boolean writable, long freeMegabytes) {}

  public boolean anyRouteFailing() {
    return routes.stream().anyMatch(RouteView::failing);
  }
}
