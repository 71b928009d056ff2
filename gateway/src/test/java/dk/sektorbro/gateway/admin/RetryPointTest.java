package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPointTest {

  private static List<JournalEvent> history(Object... stateAndStage) {
    List<JournalEvent> events = new ArrayList<>();
    for (int i = 0; i < stateAndStage.length; i += 2) {
      events.add(
          new JournalEvent(
              i,
              OffsetDateTime.now(),
              (MessageState) stateAndStage[i],
              (String) stateAndStage[i + 1],
              "r",
              null));
    }
    return events;
  }

  @Test
  void deliveryFailure_resumesAtDelivery() {
    var h =
        history(
            MessageState.RECEIVED,
            "intake",
            MessageState.RECEIVED,
            "consent",
            MessageState.TRANSLATED,
            "translate",
            MessageState.VALIDATED,
            "validate",
            MessageState.FAILED,
            "deliver");
    assertThat(RetryPoint.of(h)).contains(MessageState.VALIDATED);
    assertThat(RetryPoint.failedStage(h)).contains("deliver");
  }

  @Test
  void validationFailure_validatesAgain_gateFailure_goesThroughTheGates() {
    assertThat(
            RetryPoint.of(
                history(
                    MessageState.RECEIVED,
                    "intake",
                    MessageState.TRANSLATED,
                    "translate",
                    MessageState.FAILED,
                    "validate")))
        .contains(MessageState.TRANSLATED);
    assertThat(
            RetryPoint.of(
                history(MessageState.RECEIVED, "intake", MessageState.FAILED, "addressing")))
        .contains(MessageState.RECEIVED);
  }

  @Test
  void theLatestFailureCounts_afterAnEarlierRetry() {
    var h =
        history(
            MessageState.RECEIVED,
            "intake",
            MessageState.TRANSLATED,
            "translate",
            MessageState.VALIDATED,
            "validate",
            MessageState.FAILED,
            "deliver",
            MessageState.VALIDATED,
            "admin",
            MessageState.FAILED,
            "addressing-guard");
    assertThat(RetryPoint.of(h)).contains(MessageState.VALIDATED);
    assertThat(RetryPoint.failedStage(h)).contains("addressing-guard");
  }

  @Test
  void notesWhileFailed_doNotHideTheStageThatFailed() {
    var h =
        history(
            MessageState.RECEIVED,
            "intake",
            MessageState.TRANSLATED,
            "translate",
            MessageState.VALIDATED,
            "validate",
            MessageState.FAILED,
            "deliver",
            MessageState.FAILED,
            "admin",
            MessageState.FAILED,
            "intake");
    assertThat(RetryPoint.failedStage(h)).contains("deliver");
    assertThat(RetryPoint.of(h)).contains(MessageState.VALIDATED);
  }

  @Test
  void noFailure_nothingToRetry() {
    assertThat(
            RetryPoint.of(
                history(MessageState.RECEIVED, "intake", MessageState.HELD_CONSENT, "consent")))
        .isEmpty();
  }
}
