package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.cluster.ClusterNodes.Node;
import dk.sektorbro.gateway.cluster.ClusterView;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.PendingEntry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Nothing is lost between intake and delivery. The stages hand journal ids to each other through
 * in-memory queues of the node that journaled the last move (the entry's {@code owner_node}); the
 * journal row is the durable hand-off, and this service re-queues it when that queue is gone:
 *
 * <ul>
 *   <li>at start, the entries this node (by name) left unfinished before it started, and, when no
 *       other node is alive, every entry left unfinished before then;
 *   <li>in the cluster's sweep (one node at a time, by the work engine): at once, the unfinished
 *       entries of nodes that are no longer alive (no heartbeat for three intervals, or stopped),
 *       taken over by this node in one claiming statement; never an entry of a live node, whose
 *       queue may hold it. And entries that stalled while every node's pipeline was idle (an id
 *       that could not be queued), after {@code gateway.pipeline.stalled-after}; while a pipeline
 *       is busy, this node's own such entries that none of its queues or workers holds.
 * </ul>
 */
@Component
public class RecoveryService {

  private static final Logger log = LoggerFactory.getLogger(RecoveryService.class);
  private static final int SWEEP_BATCH = 1000;

  private final Journal journal;
  private final PipelineDispatcher dispatcher;
  private final GatewayProperties.Pipeline pipeline;
  private final Clock clock;
  private final ClusterView cluster;
  private volatile boolean resumedPreviousRun;

  public RecoveryService(
      Journal journal,
      PipelineDispatcher dispatcher,
      GatewayProperties properties,
      Clock clock,
      ClusterView cluster) {
    this.cluster = cluster;
    this.journal = journal;
    this.dispatcher = dispatcher;
    this.pipeline = properties.pipeline();
    this.clock = clock;
  }

  /** Once, shortly after start: the entries a previous run of this node left unfinished. */
  public int resumePreviousRun() {
    if (resumedPreviousRun) {
      return 0;
    }
    resumedPreviousRun = true;
    OffsetDateTime started = dispatcher.startedAt().atOffset(ZoneOffset.UTC);
    // Claimed as they are queued here: the sweep must not take them again from a previous name.
    List<PendingEntry> pending =
        cluster.othersAlive().isEmpty()
            ? journal.claimUnfinished(started, pipeline.queueSize())
            : journal.unfinishedOf(cluster.self(), started, pipeline.queueSize());
    pending.forEach(entry -> dispatcher.resume(entry.id(), entry.state()));
    if (!pending.isEmpty()) {
      log.info("recovery resumed entries={} from a previous run", pending.size());
    }
    return pending.size();
  }

  /** The cluster's sweep (one node at a time, by the work engine). */
  public int sweep() {
    if (!resumedPreviousRun) {
      // Not before this node's own resume at start: both would queue the same entries (the next
      // sweep, one interval later, runs on whichever node is free).
      return 0;
    }
    List<String> alive = new ArrayList<>();
    alive.add(cluster.self());
    List<Node> others = cluster.othersAlive();
    others.forEach(node -> alive.add(node.name()));
    List<PendingEntry> orphans = journal.claimOrphans(alive, SWEEP_BATCH);
    orphans.forEach(entry -> dispatcher.resume(entry.id(), entry.state()));
    if (!orphans.isEmpty()) {
      log.info("recovery took over entries={} of nodes no longer alive", orphans.size());
    }
    OffsetDateTime stalledBefore = OffsetDateTime.now(clock).minus(pipeline.stalledAfter());
    if (!dispatcher.idle() || others.stream().anyMatch(node -> node.inFlight() > 0)) {
      // Work in flight may look stalled, but this node knows what it holds: an entry of its own
      // that none of its queues or workers holds was dropped (an outage interrupted its stage).
      // Waiting for an idle pipeline, as for the other nodes' entries, could take hours of steady
      // traffic.
      return orphans.size() + resumeDroppedOwn(stalledBefore);
    }
    List<PendingEntry> stalled = journal.claimUnfinished(stalledBefore, SWEEP_BATCH);
    stalled.forEach(entry -> dispatcher.resume(entry.id(), entry.state()));
    if (!stalled.isEmpty()) {
      log.info("recovery resumed stalled entries={}", stalled.size());
    }
    return orphans.size() + stalled.size();
  }

  private int resumeDroppedOwn(OffsetDateTime stalledBefore) {
    // The journal first, then what the stages hold: an entry a stage moves meanwhile is either
    // still held or was touched after stalledBefore; either way it is left alone.
    List<PendingEntry> own = journal.unfinishedOf(cluster.self(), stalledBefore, SWEEP_BATCH);
    if (own.isEmpty()) {
      return 0;
    }
    Set<String> held = dispatcher.heldIds();
    List<PendingEntry> dropped = own.stream().filter(e -> !held.contains(e.id())).toList();
    dropped.forEach(entry -> dispatcher.resume(entry.id(), entry.state()));
    if (!dropped.isEmpty()) {
      log.info("recovery resumed dropped entries={} while the pipeline is busy", dropped.size());
    }
    return dropped.size();
  }
}
