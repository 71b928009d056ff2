package dk.sektorbro.gateway.work;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dk.sektorbro.gateway.consent.ConsentProperties;
import dk.sektorbro.gateway.consent.HeldMessages;
import dk.sektorbro.gateway.inbound.KeptMessages;
import dk.sektorbro.gateway.inbound.KeptMessagesProperties;
import dk.sektorbro.gateway.pipeline.RecoveryService;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.retention.RetentionProperties;
import dk.sektorbro.gateway.retention.RetentionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Timers that must run once per cluster, not once per node, as recurring work of the engine: one
 * execution each in the shared table, claimed by whichever node is free when it is due (and taken
 * over by another when that node dies). They used to be Camel timer routes in every node.
 */
@Configuration
public class ClusterTimers {

  public static final String HOLD_SWEEP = "consent-hold-sweep";
  public static final String RETENTION = "retention";
  public static final String RECOVERY_SWEEP = "recovery-sweep";
  public static final String KEPT_INBOUND_SWEEP = "kept-inbound-sweep";

  /**
   * Entries that stalled while every node was idle go back into their stage ({@code
   * gateway.pipeline.sweep-interval}).
   */
  @Bean
  RecurringTask<Void> recoverySweepTask(RecoveryService recovery, GatewayProperties properties) {
    return Tasks.recurring(RECOVERY_SWEEP, FixedDelay.of(properties.pipeline().sweepInterval()))
        .execute((instance, context) -> recovery.sweep());
  }

  /** Consent holds: expiry and re-evaluation ({@code gateway.consent.expiry-sweep-interval}). */
  @Bean
  RecurringTask<Void> consentHoldSweepTask(HeldMessages held, ConsentProperties properties) {
    return Tasks.recurring(HOLD_SWEEP, FixedDelay.of(properties.expirySweepInterval()))
        .execute((instance, context) -> held.sweep());
  }

  /**
   * Received messages kept for a consent, offered to the hand-over again ({@code
   * gateway.handover.kept.sweep-interval}).
   */
  @Bean
  RecurringTask<Void> keptInboundSweepTask(KeptMessages kept, KeptMessagesProperties properties) {
    return Tasks.recurring(KEPT_INBOUND_SWEEP, FixedDelay.of(properties.sweepInterval()))
        .execute((instance, context) -> kept.sweep());
  }

  /**
   * One small retention pass ({@code gateway.retention.interval}); the service keeps to its window.
   */
  @Bean
  RecurringTask<Void> retentionTask(RetentionService retention, RetentionProperties properties) {
    return Tasks.recurring(RETENTION, FixedDelay.of(properties.interval()))
        .execute((instance, context) -> retention.tick());
  }
}
