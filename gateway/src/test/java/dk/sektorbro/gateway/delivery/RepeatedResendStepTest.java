package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dk.sektorbro.gateway.delivery.DeliverySchedule.Scheduled;
import dk.sektorbro.gateway.delivery.DeliveryWork.Purpose;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A resend step of the acknowledgement deadline that runs again: the engine runs an execution again
 * with the data it had when the run began whenever the run's outcome was not recorded (the node
 * died after the resend's SENT commit and before the engine's completion, and the engine revived
 * the dead execution; or an exception after that commit, and the engine's failure handler
 * rescheduled it). The step's renewal was made and its Bundle may have left: running the step again
 * must send that same Bundle (same Bundle.id, same bytes), never renew it a second time, or the
 * recipient holds two different Bundles for one resend.
 */
class RepeatedResendStepTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";

  @Autowired Journal journal;
  @Autowired DeliverySchedule schedule;
  @Autowired CustomTask<DeliveryWork> messageDeliveryTask;

  @Test
  void aResendStepRunAgain_sendsTheRenewedBundleAgain_neverASecondRenewal() throws Exception {
    sampleConsentsOnce();
    String id =
        submitJson(
            "nordby-socialpsykiatri",
            TestFiles.medicationQuestion(freshRecordId("SP-RESEND-AGAIN")));
    awaitState(id, "SENT");
    JournalEntry first = journal.find(id).orElseThrow();
    // The acknowledgement deadline (30 min ahead: the engine's poller leaves it alone here).
    Scheduled deadline = schedule.find(id).orElseThrow();
    assertThat(deadline.work().purpose()).isEqualTo(Purpose.ACK_DEADLINE);
    Path file =
        outbox(GP_GLN)
            .resolve(
                first.messageHeaderId()
                    + "."
                    + FhirFormat.valueOf(first.fhirFormat()).fileExtension());

    // The deadline's run: renewal, resend, SENT. Its completion (the next step for the engine) is
    // not applied: the node died right after the run's commits.
    runDeadline(id, deadline);
    JournalEntry resent = journal.find(id).orElseThrow();
    assertThat(resent.bundleId()).isNotEqualTo(first.bundleId());
    assertThat(resent.messageHeaderId()).isEqualTo(first.messageHeaderId());
    byte[] sentOnce = Files.readAllBytes(file);
    assertThat(sentOnce).isEqualTo(resent.fhirMessage().getBytes(StandardCharsets.UTF_8));

    // The engine runs the same execution again, with the data it began with.
    runDeadline(id, deadline);
    JournalEntry after = journal.find(id).orElseThrow();
    assertThat(after.bundleId()).as("no second renewal").isEqualTo(resent.bundleId());
    assertThat(Files.readAllBytes(file)).as("the same Bundle, the same bytes").isEqualTo(sentOnce);
    assertThat(
            journal.history(id).stream()
                .map(JournalEvent::detail)
                .filter(d -> d != null && d.startsWith("Bundle "))
                .toList())
        .as("one renewal for one resend step")
        .containsExactly("Bundle " + resent.bundleId());
  }

  private void runDeadline(String id, Scheduled deadline) {
    TaskInstance<DeliveryWork> instance =
        new TaskInstance<>(DeliverySchedule.TASK, id, deadline.work());
    messageDeliveryTask.execute(
        instance,
        new ExecutionContext(
            null,
            new com.github.kagkarlsson.scheduler.task.Execution(
                deadline.dueAt().toInstant(), instance),
            null,
            null));
  }
}
