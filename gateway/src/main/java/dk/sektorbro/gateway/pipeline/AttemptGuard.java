package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The first step of every stage: counts the start durably, and sets an entry aside (QUARANTINED)
 * once a stage was started on it more than {@code gateway.pipeline.max-attempts} times without it
 * moving on. A record that kills the process is thus tried a bounded number of times after
 * restarts, and recovery goes on without it.
 */
@Component
public class AttemptGuard {

  private static final Logger log = LoggerFactory.getLogger(AttemptGuard.class);

  private final Journal journal;
  private final int maxAttempts;

  public AttemptGuard(Journal journal, GatewayProperties properties) {
    this.journal = journal;
    this.maxAttempts = properties.pipeline().maxAttempts();
  }

  /** True when the stage may run on the entry; false when it is quarantined now. */
  public boolean admit(String journalId, String stage) {
    List<String> stages = RouteIds.STAGES;
    int attempts =
        journal.countAttempt(
            journalId, stage, stages.subList(stages.indexOf(stage) + 1, stages.size()));
    if (attempts <= maxAttempts) {
      return true;
    }
    boolean moved =
        journal.transition(
            journalId,
            MessageState.UNFINISHED,
            MessageState.QUARANTINED,
            stage,
            "quarantined: stage "
                + stage
                + " was started "
                + (attempts - 1)
                + " times without the message moving on"
                + " (it failed or the gateway stopped each time); the gateway goes on without it."
                + " An administrator can retry, edit or discard it",
            null);
    if (moved) {
      log.warn("quarantined id={} stage={} attempts={}", journalId, stage, attempts - 1);
    }
    return false;
  }
}
