package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import java.util.List;
import java.util.Optional;

/**
 * Where a failed message re-enters the pipeline: the last unfinished state it reached before it
 * failed, so a delivery failure is delivered again without being translated anew, and a validation
 * failure is validated again. Plain Java, unit-tested without the application.
 */
public final class RetryPoint {

  private RetryPoint() {}

  /** Empty when the history shows no failure (or quarantine) to retry. */
  public static Optional<MessageState> of(List<JournalEvent> history) {
    int failed = -1;
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).state() == MessageState.FAILED
          || history.get(i).state() == MessageState.QUARANTINED) {
        failed = i;
        break;
      }
    }
    if (failed < 0) {
      return Optional.empty();
    }
    for (int i = failed - 1; i >= 0; i--) {
      if (MessageState.UNFINISHED.contains(history.get(i).state())) {
        return Optional.of(history.get(i).state());
      }
    }
    return Optional.of(MessageState.RECEIVED);
  }

  /**
   * The stage that reported the latest failure (a route id such as deliver, or a gate's name): the
   * first event of the trailing run of FAILED events, since later ones are notes (a personal-data
   * view, a duplicate submission) made while the message stayed FAILED.
   */
  public static Optional<String> failedStage(List<JournalEvent> history) {
    int i = history.size() - 1;
    if (i < 0 || history.get(i).state() != MessageState.FAILED) {
      return Optional.empty();
    }
    while (i > 0 && history.get(i - 1).state() == MessageState.FAILED) {
      i--;
    }
    return Optional.ofNullable(history.get(i).stage());
  }
}
