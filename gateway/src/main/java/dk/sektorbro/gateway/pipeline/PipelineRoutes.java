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

  private final PipelineDispatcher queues;
  private final GateStage gates;
  private final TranslationStage translation;
  private final ValidationStage validation;
  private final DeliveryStage delivery;

  public PipelineRoutes(PipelineDispatcher queues, GateStage gates, TranslationStage translation,
      ValidationStage validation, DeliveryStage delivery) {
    this.queues = queues;
    this.gates = gates;
    this.translation = translation;
    this.validation = validation;
    this.delivery = delivery;
  }

  @Override
  public void configure() {
    String id = "(${header." + RouteIds.JOURNAL_ID + "})";
    // @formatter:off
    from(queues.queueUri(RouteIds.GATES))
        .routeId(RouteIds.GATES)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(method(gates, "check" + id))
            .to(queues.queueUri(RouteIds.TRANSLATE)).id("to-translate");

    from(queues.queueUri(RouteIds.TRANSLATE))
        .routeId(RouteIds.TRANSLATE)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(method(translation, "translate" + id))
            .to(queues.queueUri(RouteIds.VALIDATE)).id("to-validate");

    from(queues.queueUri(RouteIds.VALIDATE))
        .routeId(RouteIds.VALIDATE)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(method(validation, "validate" + id))
            .to(queues.queueUri(RouteIds.DELIVER)).id("to-deliver");

    from(queues.queueUri(RouteIds.DELIVER))
        .routeId(RouteIds.DELIVER)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(delivery, "deliver" + id).id("write-postbox");
    // @formatter:on
  }
}
