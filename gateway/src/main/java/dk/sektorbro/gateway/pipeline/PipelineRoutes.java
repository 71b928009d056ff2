package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.delivery.DeliveryStage;
import dk.sektorbro.gateway.platform.RouteIds;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** The stages after intake, each a queue of journal ids with its own workers. */
@Component
public class PipelineRoutes extends RouteBuilder {

  private final PipelineDispatcher dispatcher;
  private final TranslationStage translation;
  private final DeliveryStage delivery;

  public PipelineRoutes(PipelineDispatcher dispatcher, TranslationStage translation, DeliveryStage delivery) {
    this.dispatcher = dispatcher;
    this.translation = translation;
    this.delivery = delivery;
  }

  @Override
  public void configure() {
    // @formatter:off
    from(dispatcher.translateUri())
        .routeId(RouteIds.TRANSLATE)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(method(translation, "translate(${header." + RouteIds.JOURNAL_ID + "})"))
            .to(dispatcher.deliverUri()).id("to-deliver");

    from(dispatcher.deliverUri())
        .routeId(RouteIds.DELIVER)
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .bean(delivery, "deliver(${header." + RouteIds.JOURNAL_ID + "})").id("write-postbox");
    // @formatter:on
  }
}
