package dk.sektorbro.gateway.work;

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
