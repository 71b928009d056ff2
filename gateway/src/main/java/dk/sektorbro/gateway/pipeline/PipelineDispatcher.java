package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.cluster.NodeLoad;
import dk.sektorbro.gateway.gate.StageDispatch;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands journal ids to the pipeline's stage queues. The queues carry ids only: the journal is the
 * source of truth, so an id lost from a queue (crash, full queue) is picked up again by recovery.
 */
@Component
public class PipelineDispatcher implements StageDispatch, NodeLoad {

  private static final Logger log = LoggerFactory.getLogger(PipelineDispatcher.class);

  // Signals can race the in-flight count's own bookkeeping: a waiter rechecks at least this often.
  private static final long ROOM_RECHECK_MILLIS = 50;

  private final CamelContext camel;
  private final ProducerTemplate producer;
  private final GatewayProperties.Pipeline pipeline;
  private final Instant startedAt = Instant.now();
  // Resolving an endpoint from its URI normalises the URI each time: each stage's is looked up
  // once.
  private final Map<String, SedaEndpoint> endpoints = new ConcurrentHashMap<>();
  private final Object room = new Object();
  private final AtomicInteger waiting = new AtomicInteger();

  public PipelineDispatcher(
      CamelContext camel, ProducerTemplate producer, GatewayProperties properties) {
    this.camel = camel;
    this.producer = producer;
    this.pipeline = properties.pipeline();
  }

  /** Queues an entry for the stage that follows the state it is in. */
  @Override
  public void resume(String journalId, MessageState state) {
    switch (state) {
      case RECEIVED -> dispatch(RouteIds.GATES, journalId);
      case TRANSLATED -> dispatch(RouteIds.VALIDATE, journalId);
      case VALIDATED -> dispatch(RouteIds.DELIVER, journalId);
      default -> throw new IllegalArgumentException("nothing to resume in state " + state);
    }
  }

  /** The seda endpoint of a stage; producers and consumers must use the same options. */
  public String queueUri(String stage) {
    return "seda:"
        + stage
        + "?size="
        + pipeline.queueSize()
        + "&concurrentConsumers="
        + workers(stage);
  }

  private int workers(String stage) {
    return switch (stage) {
      case RouteIds.TRANSLATE -> pipeline.translateWorkers();
      case RouteIds.VALIDATE -> pipeline.validateWorkers();
      case RouteIds.DELIVER -> pipeline.deliverWorkers();
      default -> pipeline.gateWorkers();
    };
  }

  /**
   * When the gateway started: entries untouched since before then are unfinished work from a
   * previous run.
   */
  public Instant startedAt() {
    return startedAt;
  }

  /**
   * Back-pressure for the file inboxes: waits until fewer than {@code
   * gateway.pipeline.max-in-flight} ids are queued or in work in this node's stages. Returns false,
   * without waiting longer, when there is still no room after {@code patience} or Camel is
   * stopping: the caller then leaves the file in its inbox for a later poll (nothing is journaled
   * yet, so nothing is lost).
   */
  public boolean awaitRoom(Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    waiting.incrementAndGet();
    try {
      synchronized (room) {
        // Checked under the lock that roomMayHaveFreed() takes to signal: no signal is lost
        // between the check and the wait.
        while (inFlight() >= pipeline.maxInFlight()) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || camel.isStopping() || !camel.isStarted()) {
            return false;
          }
          room.wait(Math.max(1, Math.min(ROOM_RECHECK_MILLIS, left / 1_000_000)));
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /**
   * An exchange ended in a stage (StageCompletionConfiguration), so there may be room now: wakes
   * {@link #awaitRoom} at once instead of at its next recheck. Costs a volatile read when nobody
   * waits.
   */
  public void roomMayHaveFreed() {
    if (waiting.get() > 0) {
      synchronized (room) {
        room.notifyAll();
      }
    }
  }

  /** True when no id is queued or being processed in any stage. */
  public boolean idle() {
    return inFlight() == 0;
  }

  /** Ids queued or being processed in this node's stages (published with the node's heartbeat). */
  @Override
  public int inFlight() {
    int count = 0;
    for (String stage : RouteIds.STAGES) {
      // getQueue(), not getCurrentQueueSize(): an endpoint looked up before Camel started has no
      // queue of its own yet, and its size threw on every heartbeat; getQueue() takes the stage's
      // one queue from the seda component, the one its consumers read.
      count += endpoint(stage).getQueue().size() + camel.getInflightRepository().size(stage);
    }
    return count;
  }

  /**
   * The journal ids this node's stages hold now, queued or in work. Read in-flight, queues,
   * in-flight again: an id that moves from a queue to its worker, or from one stage to the next,
   * while they are read is still seen once.
   */
  public Set<String> heldIds() {
    Set<String> ids = new HashSet<>();
    inWork(ids);
    for (String stage : RouteIds.STAGES) {
      endpoint(stage).getQueue().forEach(exchange -> add(ids, exchange));
    }
    inWork(ids);
    return ids;
  }

  private void inWork(Set<String> ids) {
    for (String stage : RouteIds.STAGES) {
      camel.getInflightRepository().browse(stage).forEach(e -> add(ids, e.getExchange()));
    }
  }

  private static void add(Set<String> ids, Exchange exchange) {
    String id = exchange.getMessage().getHeader(RouteIds.JOURNAL_ID, String.class);
    if (id != null) {
      ids.add(id);
    }
  }

  private SedaEndpoint endpoint(String stage) {
    return endpoints.computeIfAbsent(
        stage, s -> camel.getEndpoint(queueUri(s), SedaEndpoint.class));
  }

  private void dispatch(String stage, String journalId) {
    try {
      producer.sendBodyAndHeader(endpoint(stage), journalId, RouteIds.JOURNAL_ID, journalId);
    } catch (RuntimeException e) {
      // Journaled already: the recovery sweep resumes it. Never fail the caller for this.
      log.warn(
          "dispatch deferred id={} stage={} cause={}",
          journalId,
          stage,
          e.getClass().getSimpleName());
    }
  }
}
