package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dk.sektorbro.gateway.delivery.DeliverySchedule.Scheduled;
import dk.sektorbro.gateway.delivery.DeliveryWork.Purpose;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

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
  @Autowired DeliveryBookkeeping bookkeeping;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient jdbc;
  @Autowired DeliveryStage stage;

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

  /**
   * The acknowledgement comes while the deadline's run is renewing: the run read the entry SENT,
   * the acknowledgement's transaction (as AcknowledgementService's: ACKNOWLEDGED, the work
   * forgotten) holds the entry's row until the renewal waits for it, then commits. The acknowledged
   * entry keeps the Bundle the recipient acknowledged; nothing is renewed or sent.
   */
  @Test
  void anAcknowledgementDuringTheRenewal_keepsTheAcknowledgedBundle() throws Exception {
    sampleConsentsOnce();
    String id =
        submitJson(
            "nordby-socialpsykiatri", TestFiles.medicationQuestion(freshRecordId("SP-ACK-RACE")));
    awaitState(id, "SENT");
    JournalEntry sent = journal.find(id).orElseThrow();
    Scheduled deadline = schedule.find(id).orElseThrow();

    CountDownLatch acknowledged = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    CompletableFuture<Void> ack =
        CompletableFuture.runAsync(
            () ->
                tx.executeWithoutResult(
                    s -> {
                      assertThat(
                              journal.transition(
                                  id,
                                  List.of(MessageState.SENT),
                                  MessageState.ACKNOWLEDGED,
                                  "acknowledgement",
                                  "acknowledged ok by the recipient (test)",
                                  null))
                          .isTrue();
                      bookkeeping.forget(id);
                      acknowledged.countDown();
                      awaitLatch(commit);
                    }));
    assertThat(acknowledged.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> run = CompletableFuture.runAsync(() -> runDeadline(id, deadline));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (lockWaiters() == 0 && !run.isDone() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(lockWaiters()).as("the renewal waits for the acknowledgement's row").isEqualTo(1);
    commit.countDown();
    ack.get(30, TimeUnit.SECONDS);
    run.get(30, TimeUnit.SECONDS);

    JournalEntry after = journal.find(id).orElseThrow();
    assertThat(after.state()).isEqualTo(MessageState.ACKNOWLEDGED);
    assertThat(after.bundleId()).as("the acknowledged Bundle").isEqualTo(sent.bundleId());
    assertThat(after.fhirMessage()).isEqualTo(sent.fhirMessage());
    assertThat(journal.history(id).stream().map(JournalEvent::reason))
        .noneMatch(reason -> reason.startsWith("resend "));
  }

  /**
   * Two runs of one deadline at once: a stalled node's run, which the engine declared dead and
   * revived on another node, goes on beside the revived run. Both read the entry SENT with the
   * Bundle that left, and both are in the renewal's transaction before either renews (a transaction
   * of the test holds the entry's row until both wait for it). One renewal, one resent Bundle: the
   * run that comes second finds the Bundle it read replaced and renews nothing.
   */
  @Test
  void twoRunsOfOneDeadlineAtOnce_renewAndSendOneBundle() throws Exception {
    sampleConsentsOnce();
    String id =
        submitJson(
            "nordby-socialpsykiatri", TestFiles.medicationQuestion(freshRecordId("SP-TWO-RUNS")));
    awaitState(id, "SENT");
    Scheduled deadline = schedule.find(id).orElseThrow();
    assertThat(deadline.work().purpose()).isEqualTo(Purpose.ACK_DEADLINE);

    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> lock =
        CompletableFuture.runAsync(
            () ->
                tx.executeWithoutResult(
                    s -> {
                      // The row lock a move of the entry holds (as an acknowledgement's).
                      assertThat(
                              jdbc.sql(
                                      "UPDATE journal_entry SET updated_at = updated_at WHERE id = :id")
                                  .param("id", id)
                                  .update())
                          .isEqualTo(1);
                      locked.countDown();
                      awaitLatch(release);
                    }));
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> stalled = CompletableFuture.runAsync(() -> runDeadline(id, deadline));
    CompletableFuture<Void> revived = CompletableFuture.runAsync(() -> runDeadline(id, deadline));
    // Both runs read the entry and wait for its row in the renewal's transaction.
    awaitLockWaiters("%journal_entry%", 2);
    release.countDown();
    lock.get(30, TimeUnit.SECONDS);
    stalled.get(60, TimeUnit.SECONDS);
    revived.get(60, TimeUnit.SECONDS);

    JournalEntry after = journal.find(id).orElseThrow();
    assertThat(
            journal.history(id).stream()
                .map(JournalEvent::detail)
                .filter(d -> d != null && d.startsWith("Bundle "))
                .toList())
        .as("one renewal")
        .containsExactly("Bundle " + after.bundleId());
    assertThat(
            jdbc.sql("SELECT bundle_id FROM outbound_message WHERE entry_id = :id")
                .param("id", id)
                .query(String.class)
                .list())
        .as("the Bundles fixed for sending: the first and the one resend")
        .containsExactlyInAnyOrder(deadline.work().sentBundleId(), after.bundleId());
  }

  /**
   * An administrator's resend during the deadline's run: the engine's run read the entry SENT; the
   * resend's move to VALIDATED commits while the run waits to renew, so the renewal is refused; the
   * resend's attempt makes the entry SENT again while the engine still holds the execution, so the
   * acknowledgement deadline it saves is refused too, and the run's completion comes after (a
   * transaction of the test holds the execution's row until then). The resent message still has its
   * acknowledgement deadline: no timeout and no alert otherwise if the recipient never answers.
   */
  @Test
  void anAdminResendDuringTheDeadlinesRenewal_keepsAnAcknowledgementDeadline() throws Exception {
    String id = sentWithDeadline("SP-RESEND-IN-RUN");
    Scheduled deadline = schedule.find(id).orElseThrow();
    // The administrator's resend (AdminActions#resend's move), not yet committed.
    CountDownLatch commitMove = new CountDownLatch(1);
    CompletableFuture<Void> resend = holding(() -> resendMove(id), commitMove);
    // The deadline is due: the engine picks the execution and its run waits to renew.
    schedule.save(id, deadline.work(), OffsetDateTime.now());
    awaitLockWaiters("%UPDATE journal_entry SET bundle_id%", 1);
    CountDownLatch releaseRow = new CountDownLatch(1);
    CompletableFuture<Void> row = holding(() -> lockPickedExecution(id), releaseRow);
    commitMove.countDown();
    resend.get(30, TimeUnit.SECONDS);

    resentWhileTheRunCompletes(id, releaseRow, row);
  }

  /**
   * The same with the resend's move committed before the run reads the entry: the run finds it
   * VALIDATED (being delivered by someone else), and the resend's SENT comes before the run's
   * completion (the test holds the table until the engine's run waits to read the entry, then the
   * execution's row).
   */
  @Test
  void anAdminResendJustBeforeTheDeadlinesRun_keepsAnAcknowledgementDeadline() throws Exception {
    String id = sentWithDeadline("SP-RESEND-BEFORE-RUN");
    Scheduled deadline = schedule.find(id).orElseThrow();
    tx.executeWithoutResult(s -> resendMove(id));
    CountDownLatch releaseTable = new CountDownLatch(1);
    CompletableFuture<Void> table =
        holding(
            () -> jdbc.sql("LOCK TABLE journal_entry IN ACCESS EXCLUSIVE MODE").update(),
            releaseTable);
    schedule.save(id, deadline.work(), OffsetDateTime.now());
    awaitLockWaiters("%FROM journal_entry WHERE id = %", 1);
    CountDownLatch releaseRow = new CountDownLatch(1);
    CompletableFuture<Void> row = holding(() -> lockPickedExecution(id), releaseRow);
    releaseTable.countDown();
    table.get(30, TimeUnit.SECONDS);

    resentWhileTheRunCompletes(id, releaseRow, row);
  }

  private String sentWithDeadline(String record) {
    sampleConsentsOnce();
    String id =
        submitJson("nordby-socialpsykiatri", TestFiles.medicationQuestion(freshRecordId(record)));
    awaitState(id, "SENT");
    assertThat(schedule.find(id).orElseThrow().work().purpose()).isEqualTo(Purpose.ACK_DEADLINE);
    return id;
  }

  private void resendMove(String id) {
    assertThat(
            journal.transition(
                id,
                List.of(MessageState.SENT),
                MessageState.VALIDATED,
                "admin",
                "resend by admin: test",
                null))
        .isTrue();
  }

  private void lockPickedExecution(String id) {
    assertThat(
            jdbc.sql(
                    "SELECT picked FROM scheduled_tasks WHERE task_name = :task"
                        + " AND task_instance = :id FOR UPDATE")
                .param("task", DeliverySchedule.TASK)
                .param("id", id)
                .query(Boolean.class)
                .single())
        .as("picked by the engine")
        .isTrue();
  }

  /**
   * The run has ended and its completion waits for the execution's row ({@code row}, held until
   * {@code releaseRow}): the resend's attempt (the dispatcher resumes the VALIDATED entry) makes it
   * SENT; then the completion goes on. The entry must have its acknowledgement deadline.
   */
  private void resentWhileTheRunCompletes(
      String id, CountDownLatch releaseRow, CompletableFuture<Void> row) throws Exception {
    awaitLockWaiters("%scheduled_tasks%", 1);
    JournalEntry validated = journal.find(id).orElseThrow();
    assertThat(validated.state()).isEqualTo(MessageState.VALIDATED);
    stage.attempt(validated);
    assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.SENT);

    releaseRow.countDown();
    row.get(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jdbc.sql(
                            "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = :task"
                                + " AND task_instance = :id AND picked")
                        .param("task", DeliverySchedule.TASK)
                        .param("id", id)
                        .query(Long.class)
                        .single()
                    == 0);
    assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.SENT);
    Scheduled after = schedule.find(id).orElse(null);
    assertThat(after).as("the resent message's acknowledgement deadline").isNotNull();
    assertThat(after.work().purpose()).isEqualTo(Purpose.ACK_DEADLINE);
    assertThat(after.dueAt()).isAfter(OffsetDateTime.now().plusMinutes(1));
  }

  /** Runs {@code work} in a transaction of its own that commits once {@code release} opens. */
  private CompletableFuture<Void> holding(Runnable work, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    CompletableFuture<Void> held =
        CompletableFuture.runAsync(
            () ->
                tx.executeWithoutResult(
                    s -> {
                      work.run();
                      done.countDown();
                      awaitLatch(release);
                    }));
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    return held;
  }

  /** Waits until {@code count} sessions wait for a lock in a statement like {@code pattern}. */
  private void awaitLockWaiters(String pattern, int count) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (lockWaitersOn(pattern) < count && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    assertThat(lockWaitersOn(pattern))
        .as("sessions waiting for a lock: " + pattern)
        .isEqualTo(count);
  }

  private int lockWaitersOn(String pattern) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock' AND query ILIKE :pattern")
        .param("pattern", pattern)
        .query(Integer.class)
        .single();
  }

  private int lockWaiters() {
    return jdbc.sql(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND wait_event_type = 'Lock'")
        .query(Integer.class)
        .single();
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
