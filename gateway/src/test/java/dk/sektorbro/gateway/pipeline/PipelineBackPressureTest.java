package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Back-pressure for the file inboxes (FileIntakeRoutes asks before it reads a file): no room while
 * the stages hold gateway.pipeline.max-in-flight ids, room again as soon as a stage takes one. Real
 * Camel seda queues, no consumers, so the ids stay queued.
 */
class PipelineBackPressureTest {

  @Test
  void noRoomWhileTheStagesHoldMaxInFlightIds_roomWhenAStageTakesOne() throws Exception {
    GatewayProperties properties =
        new Binder(
                new MapConfigurationPropertySource(
                    Map.of(
                        "gateway.data-dir",
                        "target/back-pressure",
                        "gateway.mappings-dir",
                        "target/back-pressure",
                        "gateway.pipeline.max-in-flight",
                        "2")))
            .bindOrCreate("gateway", GatewayProperties.class);
    try (DefaultCamelContext camel = new DefaultCamelContext()) {
      camel.start();
      PipelineDispatcher dispatcher =
          new PipelineDispatcher(camel, camel.createProducerTemplate(), properties);
      assertThat(dispatcher.awaitRoom(Duration.ofMillis(50))).isTrue();

      dispatcher.resume("first", MessageState.RECEIVED);
      assertThat(dispatcher.awaitRoom(Duration.ofMillis(50))).isTrue();
      dispatcher.resume("second", MessageState.TRANSLATED);

      long start = System.nanoTime();
      assertThat(dispatcher.awaitRoom(Duration.ofMillis(300))).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));

      camel.getEndpoint(dispatcher.queueUri(RouteIds.GATES), SedaEndpoint.class).getQueue().poll();
      assertThat(dispatcher.awaitRoom(Duration.ofMillis(50))).isTrue();
      assertThat(dispatcher.inFlight()).isEqualTo(1);
    }
  }
}
