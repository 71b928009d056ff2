package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import dk.sektorbro.gateway.delivery.DeliverySchedule.Scheduled;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties;
import dk.sektorbro.gateway.gate.DeliveryGuard;
import dk.sektorbro.gateway.inbound.HospitalAcks;
import dk.sektorbro.gateway.inbound.HospitalAcks.AckWork;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A node that was stalled (a long GC pause, SIGSTOP, a suspended VM) after taking a delivery step,
 * while another node declared it dead and took the step over, must not do the step again when it
 * resumes: the other node delivered, the recipient's client picked the file up, and a second file
 * with the same MessageHeader.id would be a second message for it.
 *
 * <p>Two nodes in one JVM, on the suite's real PostgreSQL and real postbox folders: this
 * application is node A (its delivery stage, its engine task); node B is a second delivery stage
 * under another node name, and B's take-over is the statement recovery's claim (or the engine's
 * revival and pick) makes. A's pause is the test holding A's step between its read of the entry and
 * the rest of the attempt (the hook), not a real SIGSTOP.
 */
class StalledNodeDeliveryTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";
  private static final String SOURCE = "nordby-socialpsykiatri";

  /** A hospital's GLN, its postbox this test's alone. */
  private static final String HOSPITAL_GLN = "5790000121526";

  @Autowired Journal journal;
  @Autowired DeliveryStage stage;
  @Autowired DeliverySchedule schedule;
  @Autowired CustomTask<DeliveryWork> messageDeliveryTask;
  @Autowired CustomTask<AckWork> hospitalAckTask;
  @Autowired SchedulerClient engine;
  @Autowired JdbcClient jdbc;
  @Autowired CamelContext camel;
  @Autowired PipelineDispatcher dispatcher;
  @Autowired List<DeliveryGuard> guards;
  @Autowired DeliveryProperties deliveryProperties;
  @Autowired OutboundPreparation preparation;
  @Autowired FixedOutboundMessages fixedMessages;
  @Autowired Transports transports;
  @Autowired DeliveryBookkeeping bookkeeping;
  @Autowired List<TransportResponses> responses;
  @Autowired MeterRegistry meters;
  @Autowired TransactionTemplate tx;

  /**
   * The pipeline's first send: A took the VALIDATED entry from its deliver queue and stalled;
   * recovery on B took the entry over (owner_node). A resumes with the entry as it read it, before
   * B's delivery and again after it (the recipient has picked B's copy up by then).
   */
  @Test
  void aStalledNodeResumingItsFirstSend_sendsNothing_onceAnotherNodeTookTheEntryOver()
      throws Exception {
    sampleConsentsOnce();
    String id;
    camel.getRouteController().stopRoute(RouteIds.DELIVER);
    try {
      id = submitJson(SOURCE, TestFiles.medicationQuestion(freshRecordId("SP-STALLED-FIRST")));
      awaitState(id, "VALIDATED");
      // A's deliver worker has taken the id from its queue...
      String taken = id;
      camel
          .getEndpoint(dispatcher.queueUri(RouteIds.DELIVER), SedaEndpoint.class)
          .getQueue()
          .removeIf(exchange -> taken.equals(exchange.getIn().getBody(String.class)));
    } finally {
      camel.getRouteController().startRoute(RouteIds.DELIVER);
    }
    // ...and read it; then A stalls.
    JournalEntry readByA = journal.find(id).orElseThrow();
    assertThat(readByA.state()).isEqualTo(MessageState.VALIDATED);

    // B's recovery sweep finds A silent and claims the entry (JournalRepository#claimOrphans).
    jdbc.sql("UPDATE journal_entry SET owner_node = 'node-b' WHERE id = :id")
        .param("id", id)
        .update();
    Path file = postboxFile(readByA);

    // A resumes where it stalled, before B's delivery: the entry is still VALIDATED, but B's.
    stage.attempt(readByA);
    assertThat(file).as("written by the stalled node").doesNotExist();
    assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.VALIDATED);

    // B delivers it; the recipient picks it up. A's stalled step goes on once more (a second
    // pause, or a second id of the entry in its queue): the entry is SENT by now.
    nodeB().deliver(id);
    assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.SENT);
    pickUp(file);
    stage.attempt(readByA);

    assertThat(file).as("a second copy written by the stalled node").doesNotExist();
    List<JournalEvent> history = journal.history(id);
    assertThat(history)
        .extracting(JournalEvent::reason)
        .filteredOn(reason -> reason.startsWith("written to "))
        .as("deliveries in the history")
        .hasSize(1);
    assertThat(history)
        .extracting(JournalEvent::reason)
        .anyMatch(reason -> reason.contains("sent nothing: another node had taken the step over"))
        .noneMatch(reason -> reason.contains("the recipient may hold this message"));
  }

  /**
   * The engine's retry: A's engine picked the message's execution and stalled in the run; after the
   * missed heartbeats B's engine revived it and ran it (the message was SENT) and the recipient
   * picked it up. A's run goes on with the execution it was handed.
   */
  @Test
  void aStalledNodeResumingARetryRun_sendsNothing_onceAnotherNodesEngineRevivedIt()
      throws Exception {
    sampleConsentsOnce();
    String id =
        submitWhileBlocked(
            GP_GLN,
            SOURCE,
            TestFiles.medicationQuestion(freshRecordId("SP-STALLED-RETRY")),
            blocked -> {});
    try {
      Scheduled retry = schedule.find(id).orElseThrow();
      // A's engine picks the execution (as its lock-and-fetch does: picked, by A, version + 1).
      Execution pickedByA = pick(id, retry, "node-a");
      // A stalls in the run; B's engine revives the dead execution and picks it (version + 1
      // each), and runs it: the postbox works again, the message is SENT.
      Execution pickedByB = pick(id, retry, "node-b");
      assertThat(pickedByB.version).isGreaterThan(pickedByA.version);
      run(pickedByB);
      JournalEntry sent = journal.find(id).orElseThrow();
      assertThat(sent.state()).isEqualTo(MessageState.SENT);
      Path file = postboxFile(sent);
      pickUp(file);

      // A resumes its run of the execution it picked.
      run(pickedByA);

      assertThat(file).as("a second copy written by the stalled node").doesNotExist();
      List<JournalEvent> history = journal.history(id);
      assertThat(history)
          .extracting(JournalEvent::reason)
          .filteredOn(reason -> reason.startsWith("written to "))
          .as("deliveries in the history")
          .hasSize(1);
      assertThat(history)
          .extracting(JournalEvent::reason)
          .anyMatch(reason -> reason.contains("sent nothing: another node had taken the step over"))
          .noneMatch(reason -> reason.contains("the recipient may hold this message"));
    } finally {
      // B's completion is not applied here: the execution would stay picked by a node that does
      // not exist, and this application's engine would revive and run it later.
      jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = :task AND task_instance = :id")
          .param("task", DeliverySchedule.TASK)
          .param("id", id)
          .update();
    }
  }

  /**
   * An acknowledgement to a hospital ({@code hospital-ack}): A's engine picked its execution and
   * stalled in the run; B's engine revived it, ran it (the acknowledgement is in the hospital's
   * postbox) and the hospital picked it up. A's run goes on with the execution it was handed: a
   * second file would be a second acknowledgement of the hospital's message.
   */
  @Test
  void aStalledNodeResumingAHospitalAcknowledgement_writesNothing_onceAnotherNodesEngineRevivedIt()
      throws Exception {
    String fileId = UUID.randomUUID().toString();
    // Which bytes is not this test's concern: the run writes the fixed text it was scheduled with.
    AckWork work =
        new AckWork(
            HOSPITAL_GLN,
            "hospital-message-" + fileId,
            fileId,
            "{\"fixed\":\"ack\"}",
            false,
            0,
            null);
    // Due in an hour: this application's engine leaves it to the test's two picks.
    Instant due = Instant.now().plus(Duration.ofHours(1));
    engine.schedule(new TaskInstance<>(HospitalAcks.TASK, fileId, work), due);
    try {
      Execution pickedByA = pick(HospitalAcks.TASK, fileId, work, due, "node-a");
      Execution pickedByB = pick(HospitalAcks.TASK, fileId, work, due, "node-b");
      assertThat(pickedByB.version).isGreaterThan(pickedByA.version);
      runAck(pickedByB);
      Path file = outbox(HOSPITAL_GLN).resolve(fileId + ".json");
      pickUp(file);

      runAck(pickedByA);

      assertThat(file).as("a second acknowledgement written by the stalled node").doesNotExist();
    } finally {
      jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = :task AND task_instance = :id")
          .param("task", HospitalAcks.TASK)
          .param("id", fileId)
          .update();
    }
  }

  /** B: a second node's delivery stage, on the same database and postboxes, under its own name. */
  private DeliveryStage nodeB() {
    return new DeliveryStage(
        journal,
        guards,
        deliveryProperties,
        preparation,
        fixedMessages,
        transports,
        bookkeeping,
        responses,
        meters,
        tx,
        schedule,
        new NodeIdentity("node-b"));
  }

  /**
   * The engine's pick of the execution by {@code node}: the row's columns as lock-and-fetch sets.
   */
  private Execution pick(String id, Scheduled due, String node) {
    return pick(DeliverySchedule.TASK, id, due.work(), due.dueAt().toInstant(), node);
  }

  private Execution pick(String task, String id, Object data, Instant dueAt, String node) {
    long version =
        jdbc.sql(
                """
                UPDATE scheduled_tasks SET picked = TRUE, picked_by = :node,
                  last_heartbeat = now(), version = version + 1
                WHERE task_name = :task AND task_instance = :id RETURNING version""")
            .param("node", node)
            .param("task", task)
            .param("id", id)
            .query(Long.class)
            .single();
    return new Execution(
        dueAt,
        new TaskInstance<>(task, id, data),
        true,
        node,
        null,
        null,
        0,
        Instant.now(),
        version);
  }

  @SuppressWarnings("unchecked")
  private void run(Execution execution) {
    messageDeliveryTask.execute(
        (TaskInstance<DeliveryWork>) execution.taskInstance,
        new ExecutionContext(null, execution, null, null));
  }

  @SuppressWarnings("unchecked")
  private void runAck(Execution execution) {
    hospitalAckTask.execute(
        (TaskInstance<AckWork>) execution.taskInstance,
        new ExecutionContext(null, execution, null, null));
  }

  private Path postboxFile(JournalEntry entry) {
    return outbox(GP_GLN)
        .resolve(
            entry.messageHeaderId() + "." + FhirFormat.valueOf(entry.fhirFormat()).fileExtension());
  }

  /** The recipient's client takes the file out of its postbox. */
  private static void pickUp(Path file) throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
    Files.delete(file);
  }
}
