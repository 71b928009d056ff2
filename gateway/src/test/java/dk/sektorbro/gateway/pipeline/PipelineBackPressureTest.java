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

  /**
   * The node's heartbeat reads the load from the first moment Camel starts (ClusterHeartbeat). An
   * endpoint looked up before the context started has no queue yet; reading its size directly threw
   * a NullPointerException on every beat for as long as the node ran (a ClusterKillTest node
   * restarted under load never showed alive again).
   */
  @Test
  void theLoadIsReadable_beforeTheContextHasStarted_andCountsWhatIsQueuedAfter() throws Exception {
    try (DefaultCamelContext camel = new DefaultCamelContext()) {
      PipelineDispatcher dispatcher =
          new PipelineDispatcher(camel, camel.createProducerTemplate(), properties("8"));
      assertThat(dispatcher.inFlight()).isZero();

      camel.start();
      dispatcher.resume("first", MessageState.RECEIVED);
      assertThat(dispatcher.inFlight()).isEqualTo(1);
    }
  }

  private static GatewayProperties properties(String maxInFlight) {
    return new Binder(
            new MapConfigurationPropertySource(
                Map.of(
                    "gateway.data-dir",
                    "target/back-pressure",
                    "gateway.mappings-dir",
                    "target/back-pressure",
                    "gateway.pipeline.max-in-flight",
                    maxInFlight)))
        .bindOrCreate("gateway", GatewayProperties.class);
  }

  @Test
  void noRoomWhileTheStagesHoldMaxInFlightIds_roomWhenAStageTakesOne() throws Exception {
    GatewayProperties properties = properties("2");
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
