package dk.sektorbro.gateway.pipeline;

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
 * back into their stage; later, a periodic sweep resumes entries that stalled while the pipeline
 * was idle (e.g. an id that could not be queued).
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

  public RecoveryService(Journal journal, PipelineDispatcher dispatcher, GatewayProperties properties, Clock clock) {
    this.journal = journal;
    this.dispatcher = dispatcher;
    this.pipeline = properties.pipeline();
    this.clock = clock;
  }

  /** Called by the recovery timer: the first call resumes the previous run, later calls sweep. */
  public int sweep() {
    if (!resumedPreviousRun) {
      int resumed = resume(dispatcher.startedAt().atOffset(ZoneOffset.UTC), pipeline.queueSize());
      resumedPreviousRun = true;
      if (resumed > 0) {
        log.info("recovery resumed entries={} from a previous run", resumed);
      }
      return resumed;
    }
    if (!dispatcher.idle()) {
      return 0; // work in flight may look stalled; only an idle pipeline proves an entry was dropped
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
