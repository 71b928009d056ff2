package dk.sektorbro.gateway.work;

import com.github.kagkarlsson.scheduler.Clock;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import dk.sektorbro.gateway.platform.NodeIdentity;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The durable work engine is db-scheduler (docs/cluster.md): every node polls one table, claims due
 * rows with {@code SELECT … FOR UPDATE SKIP LOCKED}, heartbeats what it runs and revives the rows
 * of a node whose heartbeat stopped. Here only what is ours: task data as readable JSON (health and
 * the console query it), and each node named by {@link NodeIdentity} so the cluster view can tell
 * nodes on one host apart.
 */
@Configuration
public class WorkEngineConfiguration {

  /**
   * The engine's clock is the gateway's ({@link java.time.Clock}, a {@link
   * dk.sektorbro.gateway.platform.DatabaseClock}: the database's time within a second), not each
   * node's own: the engine compares due times and execution heartbeats one node wrote with another
   * node's clock, and a node minutes ahead took the others' running work for dead and ran it again
   * (WorkEngineClockTest). The starter uses a clock bean of this type instead of its own.
   */
  @Bean
  Clock workEngineClock(java.time.Clock clock) {
    return engineClock(clock);
  }

  /** db-scheduler's clock reading {@code clock}. */
  public static Clock engineClock(java.time.Clock clock) {
    return clock::instant;
  }

  @Bean
  DbSchedulerCustomizer workEngineCustomizer(NodeIdentity node) {
    return new DbSchedulerCustomizer() {
      @Override
      public Optional<SchedulerName> schedulerName() {
        return Optional.of(new SchedulerName.Fixed(node.name()));
      }

      @Override
      public Optional<Serializer> serializer() {
        return Optional.of(new JacksonSerializer());
      }
    };
  }
}
