package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.platform.FileCooldown;
import dk.sektorbro.gateway.platform.GatewayProperties;
import java.time.Clock;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The real {@link FileIntakeRoutes} with the real {@link FileIntake}, {@link FileCooldown}, {@link
 * MappingRegistry} and {@link PipelineDispatcher}, added to a plain Camel context; only the
 * journaling {@link IntakeService} is the test's own (it needs the database).
 */
final class FileIntakeRouteWiring {

  private FileIntakeRouteWiring() {}

  static void addTo(DefaultCamelContext camel, GatewayProperties properties, IntakeService intake)
      throws Exception {
    camel.getRegistry().bind("fileCooldown", new FileCooldown(Clock.systemUTC()));
    FileCooldown cooldown =
        camel.getRegistry().lookupByNameAndType("fileCooldown", FileCooldown.class);
    camel.addRoutes(
        new FileIntakeRoutes(
            new MappingRegistry(properties),
            new FileIntake(intake, properties, cooldown),
            properties,
            new PipelineDispatcher(camel, camel.createProducerTemplate(), properties)));
  }
}
