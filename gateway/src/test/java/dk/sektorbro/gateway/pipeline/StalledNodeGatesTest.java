package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.gate.OutboundGate;
import dk.sektorbro.gateway.journal.CanonicalRecords;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.JournalRepository;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.NodeIdentity;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A node that stalled (a long GC pause, SIGSTOP, a suspended VM) in its gates, after reading a
 * RECEIVED entry and before writing the gates' decisions, while another node declared it dead and
 * took the entry over (recovery's claim), must write nothing when it resumes: the other node's
 * gates decide, and the journal's explanation of the message holds one consent decision per run
 * that the message went on with, never a stale node's decision after the message moved on, nor a
 * recipient the message was not sent to.
 *
 * <p>Node A is a gate stage of this test under the name {@code node-a} (the application's own
 * gates, the addressing gate held on a latch: A's pause); node B, which takes the entry over, is
 * this application (its recovery's claim is the statement the sweep makes; its pipeline then
 * delivers).
 */
class StalledNodeGatesTest extends GatewayIntegrationTest {

  private static final String SOURCE = "nordby-socialpsykiatri";

  @Autowired Journal journal;
  @Autowired JdbcClient jdbc;
  @Autowired CamelContext camel;
  @Autowired PipelineDispatcher dispatcher;
  @Autowired List<OutboundGate> gates;
  @Autowired ObjectMapper json;
  @Autowired CanonicalRecords records;
  @Autowired TransactionTemplate tx;
  @Autowired Clock clock;
  @Autowired MeterRegistry meters;
  @Autowired NodeIdentity self;

  @Test
  void aStalledNodeResumingItsGates_writesNothing_onceAnotherNodeTookTheEntryOver()
      throws Exception {
    sampleConsentsOnce();
    String id;
    camel.getRouteController().stopRoute(RouteIds.GATES);
    try {
      id = submitJson(SOURCE, TestFiles.medicationQuestion(freshRecordId("SP-STALLED-GATES")));
      awaitState(id, "RECEIVED");
      String taken = id;
      camel
          .getEndpoint(dispatcher.queueUri(RouteIds.GATES), SedaEndpoint.class)
          .getQueue()
          .removeIf(exchange -> taken.equals(exchange.getIn().getBody(String.class)));
    } finally {
      camel.getRouteController().startRoute(RouteIds.GATES);
    }
    // The entry is A's: A journaled it and queued its gates (twice: a second id in its queue).
    setOwner(id, "node-a");
    Stall first = new Stall();
    Stall second = new Stall();
    CompletableFuture<Boolean> firstRun =
        CompletableFuture.supplyAsync(() -> nodeA(first).check(id));
    CompletableFuture<Boolean> secondRun =
        CompletableFuture.supplyAsync(() -> nodeA(second).check(id));
    first.awaitStalled();
    second.awaitStalled();

    // B's recovery sweep finds A silent and claims the entry (JournalRepository#claimOrphans).
    setOwner(id, self.name());

    // A's first run goes on while the entry is still RECEIVED, but B's.
    first.resume();
    boolean firstPassedOn = firstRun.get(60, TimeUnit.SECONDS);

    // B's pipeline decides and delivers; then A's second run goes on.
    dispatcher.resume(id, MessageState.RECEIVED);
    awaitState(id, "SENT");
    JournalEntry sent = journal.find(id).orElseThrow();
    second.resume();
    boolean secondPassedOn = secondRun.get(60, TimeUnit.SECONDS);

    List<JournalEvent> history = journal.history(id);
    String told =
        history.stream()
            .map(e -> e.state() + " " + e.stage() + ": " + e.reason())
            .reduce("", (a, b) -> a + "\n  " + b);
    assertThat(history)
        .filteredOn(event -> event.stage().equals("consent"))
        .as("consent decisions in the history:" + told)
        .hasSize(1);
    assertThat(history)
        .filteredOn(event -> event.stage().equals("addressing"))
        .as("addressing decisions in the history:" + told)
        .hasSize(1);
    assertThat(history.get(history.size() - 1).state())
        .as("the history's last state:" + told)
        .isNotEqualTo(MessageState.RECEIVED);
    assertThat(history)
        .filteredOn(event -> event.reason().startsWith("a run of the gates that had stalled"))
        .as("A's abandoned runs, noted:" + told)
        .hasSize(2);
    JournalEntry after = journal.find(id).orElseThrow();
    assertThat(after.state()).isEqualTo(MessageState.SENT);
    assertThat(after.recipientGln()).isEqualTo(sent.recipientGln());
    assertThat(firstPassedOn).as("A's first run passed the entry on").isFalse();
    assertThat(secondPassedOn).as("A's second run passed the entry on").isFalse();
  }

  private void setOwner(String id, String node) {
    jdbc.sql("UPDATE journal_entry SET owner_node = :node WHERE id = :id")
        .param("node", node)
        .param("id", id)
        .update();
  }

  /** A: the application's gates under the name node-a, addressing held by {@code stall}. */
  private GateStage nodeA(Stall stall) {
    Journal journalOfA =
        new Journal(new JournalRepository(jdbc, new NodeIdentity("node-a")), tx, clock, meters);
    List<OutboundGate> stalling =
        gates.stream()
            .map(gate -> gate.name().equals("addressing") ? stall.before(gate) : gate)
            .toList();
    return new GateStage(journalOfA, stalling, json, records);
  }

  /** A's pause: holds a gate's check until the test lets it go on. */
  private static final class Stall {
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);

    OutboundGate before(OutboundGate gate) {
      return new OutboundGate() {
        @Override
        public String name() {
          return gate.name();
        }

        @Override
        public GateDecision check(JournalEntry entry, CanonicalRecord record) {
          stalled.countDown();
          try {
            if (!resumed.await(120, TimeUnit.SECONDS)) {
              throw new IllegalStateException("never resumed");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          return gate.check(entry, record);
        }
      };
    }

    void awaitStalled() throws InterruptedException {
      assertThat(stalled.await(60, TimeUnit.SECONDS)).as("A read the entry and stalled").isTrue();
    }

    void resume() {
      resumed.countDown();
    }
  }
}
