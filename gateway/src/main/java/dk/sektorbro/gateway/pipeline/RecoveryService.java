package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.cluster.ClusterView;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.PendingEntry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Nothing is lost between intake and delivery: at start, entries a previous run left unfinished go
 * back into their stage (only when no other node is alive: their work in flight would look
 * unfinished too); and a periodic sweep, run once per cluster by the work engine, resumes entries
 * that stalled while every node's pipeline was idle (e.g. an id that could not be queued, or the
 * in-memory queue of a node that died).
 */
@Component
public class RecoveryService {

  private static final Logger log = LoggerFactory.getLogger(RecoveryService.class);
  private static final int SWEEP_BATCH = 1000;

  private final Journal journal;
  private final PipelineDispatcher dispatcher;
  private final GatewayProperties.Pipeline pipeline;
  private final Clock clock;
  private volatile boolean resumedPreviousRun;

  private final ClusterView cluster;

  public RecoveryService(Journal journal, PipelineDispatcher dispatcher, GatewayProperties properties, Clock clock,
      ClusterView cluster) {
    this.cluster = cluster;
    this.journal = journal;
    this.dispatcher = dispatcher;
    this.pipeline = properties.pipeline();
    this.clock = clock;
  }

  /** Once, shortly after start: the entries a previous run left unfinished, when this node is alone. */
  public int resumePreviousRun() {
    if (resumedPreviousRun) {
      return 0;
    }
    resumedPreviousRun = true;
    if (!cluster.othersAlive().isEmpty()) {
      log.info("recovery at start skipped: other nodes are alive; the cluster's sweep resumes stalled entries");
      return 0;
    }
    int resumed = resume(dispatcher.startedAt().atOffset(ZoneOffset.UTC), pipeline.queueSize());
    if (resumed > 0) {
      log.info("recovery resumed entries={} from a previous run", resumed);
    }
    return resumed;
  }

  /** The cluster's sweep (one node at a time, by the work engine). */
  public int sweep() {
    if (!dispatcher.idle() || cluster.othersAlive().stream().anyMatch(node -> node.inFlight() > 0)) {
      return 0; // work in flight may look stalled; only idle pipelines prove an entry was dropped
    }
    int resumed = resume(OffsetDateTime.now(clock).minus(pipeline.stalledAfter()), SWEEP_BATCH);
    if (resumed > 0) {
      log.info("recovery resumed stalled entries={}", resumed);
    }
    return resumed;
  }

  private int resume(OffsetDateTime untouchedSince, int limit) {
    List<PendingEntry> pending = journal.unfinished(untouchedSince, limit);
    for (PendingEntry entry : pending) {
      dispatcher.resume(entry.id(), entry.state());
    }
    return pending.size();
  }
}
