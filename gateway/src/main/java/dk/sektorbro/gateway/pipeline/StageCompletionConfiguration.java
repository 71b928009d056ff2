package dk.sektorbro.gateway.pipeline;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells the file inboxes' back-pressure ({@link PipelineDispatcher#awaitRoom}) when an exchange
 * ends, so a waiting inbox reads its next file as soon as a stage has room instead of polling for
 * it. Only exchange completions and failures are asked for, so Camel creates no other events for
 * this listener.
 */
@Configuration(proxyBeanMethods = false)
public class StageCompletionConfiguration {

  @Bean
  EventNotifier stageCompletions(PipelineDispatcher dispatcher) {
    EventNotifierSupport notifier =
        new EventNotifierSupport() {
          @Override
          public void notify(CamelEvent event) {
            dispatcher.roomMayHaveFreed();
          }

          @Override
          public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.ExchangeCompletedEvent
                || event instanceof CamelEvent.ExchangeFailedEvent;
          }
        };
    notifier.setIgnoreCamelContextEvents(true);
    notifier.setIgnoreCamelContextInitEvents(true);
    notifier.setIgnoreRouteEvents(true);
    notifier.setIgnoreServiceEvents(true);
    notifier.setIgnoreStepEvents(true);
    notifier.setIgnoreExchangeCreatedEvent(true);
    notifier.setIgnoreExchangeSendingEvents(true);
    notifier.setIgnoreExchangeSentEvents(true);
    notifier.setIgnoreExchangeRedeliveryEvents(true);
    notifier.setIgnoreExchangeAsyncProcessingStartedEvents(true);
    return notifier;
  }
}
