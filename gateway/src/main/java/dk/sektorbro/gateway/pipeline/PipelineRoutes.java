package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.delivery.DeliveryStage;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.validation.ValidationStage;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The stages after intake: gates, translate, validate, deliver. Each is a queue of journal ids with
 * its own workers, so a slow stage (validation) never blocks intake or the others.
 */
@Component
public class PipelineRoutes extends RouteBuilder {

  private static final String JOURNAL_ID_ARGUMENT = "(${header." + RouteIds.JOURNAL_ID + "})";

  private final PipelineDispatcher queues;
  private final GateStage gates;
  private final TranslationStage translation;
  private final ValidationStage validation;
  private final DeliveryStage delivery;
  private final AttemptGuard attempts;

  public PipelineRoutes(PipelineDispatcher queues, GateStage gates, TranslationStage translation,
      ValidationStage validation, DeliveryStage delivery, AttemptGuard attempts) {
    this.attempts = attempts;
    this.queues = queues;
    this.gates = gates;
    this.translation = translation;
    this.validation = validation;
    this.delivery = delivery;
  }

  @Override
  public void configure() {
    stage(RouteIds.GATES, gates, "check", RouteIds.TRANSLATE);
    stage(RouteIds.TRANSLATE, translation, "translate", RouteIds.VALIDATE);
    stage(RouteIds.VALIDATE, validation, "validate", RouteIds.DELIVER);
    // @formatter:off
    from(queues.queueUri(RouteIds.DELIVER))
        .routeId(RouteIds.DELIVER)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(admitted(RouteIds.DELIVER))
            .bean(delivery, "deliver" + JOURNAL_ID_ARGUMENT).id("write-postbox");
    // @formatter:on
  }

  /** A stage whose bean method returns true when the entry goes on to the next stage's queue. */
  private void stage(String stage, Object bean, String method, String next) {
    // @formatter:off
    from(queues.queueUri(stage))
        .routeId(stage)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(admitted(stage))
            .filter(method(bean, method + JOURNAL_ID_ARGUMENT))
                .to(queues.queueUri(next)).id("to-" + next);
    // @formatter:on
  }

  // Counted before the stage runs; a poison entry is quarantined here instead of run again.
  private org.apache.camel.builder.ValueBuilder admitted(String stage) {
    return method(attempts, "admit(${header." + RouteIds.JOURNAL_ID + "}, '" + stage + "')");
  }
}
