package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.delivery.DeliveryHealth;
import dk.sektorbro.gateway.journal.MessageState;
import java.util.List;
import java.util.Map;

/** Everything the dashboard shows, read in one go. */
public record Dashboard(
    Map<MessageState, Long> last24h,
    Map<MessageState, Long> last7d,
    List<StageRow> stages,
    HourlyChart chart,
    List<AdminQueries.ReasonCount> failuresByReason,
    List<RouteView> routes,
    OutboxHealth outbox,
    Map<String, DeliveryHealth.RecipientFailures> retryingRecipients) {

  /** One stage (route or gate): history events and failures over 24 hours and 7 days. */
  public record StageRow(
      String stage, long total24h, long failed24h, long total7d, long failed7d) {}

  /** Whether the postbox root can be written, and the space left there. */
  public record OutboxHealth(String path, boolean writable, long freeMegabytes) {}

  /** A stopped or failing route, or a recipient whose transport is failing (messages RETRYING). */
  public boolean anyRouteFailing() {
    return routes.stream().anyMatch(RouteView::failing) || !retryingRecipients.isEmpty();
  }
}
