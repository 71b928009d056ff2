package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.cluster.NodeLoad;
import dk.sektorbro.gateway.gate.StageDispatch;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.time.Instant;
import org.apache.camel.CamelContext;
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

  private final CamelContext camel;
  private final ProducerTemplate producer;
  private final GatewayProperties.Pipeline pipeline;
  private final Instant startedAt = Instant.now();

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
  public boolean awaitRoom(java.time.Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (inFlight() >= pipeline.maxInFlight()) {
      if (System.nanoTime() >= deadline || camel.isStopping() || !camel.isStarted()) {
        return false;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(ROOM_CHECK_NANOS);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return true;
  }

  private static final long ROOM_CHECK_NANOS = 5_000_000;

  /** True when no id is queued or being processed in any stage. */
  public boolean idle() {
    return inFlight() == 0;
  }

  /** Ids queued or being processed in this node's stages (published with the node's heartbeat). */
  @Override
  public int inFlight() {
    int count = 0;
    for (String stage : RouteIds.STAGES) {
      count += endpoint(stage).getCurrentQueueSize() + camel.getInflightRepository().size(stage);
    }
    return count;
  }

  // Resolving an endpoint from its URI normalises the URI each time: look each stage's up once.
  private SedaEndpoint endpoint(String stage) {
    return endpoints.computeIfAbsent(
        stage, s -> camel.getEndpoint(queueUri(s), SedaEndpoint.class));
  }

  private final java.util.Map<String, SedaEndpoint> endpoints =
      new java.util.concurrent.ConcurrentHashMap<>();

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
