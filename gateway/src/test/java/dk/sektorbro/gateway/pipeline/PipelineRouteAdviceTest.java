package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.platform.ErrorHandlingConfiguration;
import dk.sektorbro.gateway.platform.FailedEntries;
import dk.sektorbro.gateway.platform.FailureRecorder;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.platform.PipelineStage;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.RouteTestProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real {@link PipelineRoutes} under the real {@link ErrorHandlingConfiguration} and {@link
 * FailureRecorder}, in a plain Camel context (no Spring, no database, no validator): the stage
 * beans and the journal's FAILED entries are in-memory stand-ins of their interfaces. Routes are
 * advised by their stable ids from {@link RouteIds}.
 */
class PipelineRouteAdviceTest {

  private static final GatewayProperties PROPERTIES =
      RouteTestProperties.gateway(
          Path.of("unused-data"),
          Path.of("unused-mappings"),
          Duration.ofMillis(500),
          Duration.ofSeconds(5));

  private final List<String> visits = new CopyOnWriteArrayList<>();
  private final List<String> failed = new CopyOnWriteArrayList<>();
  private final AtomicInteger translateCalls = new AtomicInteger();
  private final CamelContext camel = new DefaultCamelContext();

  @AfterEach
  void stopCamel() {
    camel.stop();
  }

  @Test
  void stages_runInTheOrderOfRouteIdsStages_whateverTheBeanOrder() throws Exception {
    // Beans handed over in the wrong order: the routes must still chain gates → ... → deliver.
    build(
        List.of(
            recording(RouteIds.DELIVER),
            recording(RouteIds.VALIDATE),
            translateThat(call -> true),
            recording(RouteIds.GATES)));
    adviseAll();
    MockEndpoint delivered = camel.getEndpoint("mock:delivered", MockEndpoint.class);
    delivered.expectedMessageCount(1);
    delivered.expectedHeaderReceived(RouteIds.JOURNAL_ID, "entry-1");

    send(RouteIds.GATES, "entry-1");

    delivered.assertIsSatisfied();
    assertThat(visits)
        .containsExactly(
            RouteIds.GATES + ":entry-1",
            RouteIds.TRANSLATE + ":entry-1",
            RouteIds.VALIDATE + ":entry-1",
            RouteIds.DELIVER + ":entry-1");
    assertThat(failed).isEmpty();
  }

  @Test
  void stageReturningFalse_stopsTheEntryThere() throws Exception {
    build(stagesWithTranslate(call -> false));
    MockEndpoint validate = adviseTranslate();

    send(RouteIds.TRANSLATE, "entry-2");

    validate.expectedMessageCount(0);
    validate.assertIsSatisfied();
    assertThat(translateCalls).hasValue(1);
    assertThat(failed).isEmpty();
  }

  @Test
  void permanentFailure_endsFailedWithItsReason_andIsNotRetried() throws Exception {
    build(
        stagesWithTranslate(
            call -> {
              throw new PermanentFailure("no mapping for record type X");
            }));
    MockEndpoint validate = adviseTranslate();

    send(RouteIds.TRANSLATE, "entry-3");

    assertThat(translateCalls).hasValue(1);
    assertThat(failed).hasSize(1);
    // The stage's own words reach the journal, not Camel's wrapper around the bean call, and the
    // entry is FAILED once, without retries.
    assertThat(failed.get(0)).isEqualTo("entry-3|translate|no mapping for record type X");
    validate.expectedMessageCount(0);
    validate.assertIsSatisfied();
  }

  @Test
  void deterministicFailure_endsFailedAtOnce_asNotRetried() throws Exception {
    build(
        stagesWithTranslate(
            call -> {
              throw new IllegalStateException("parser refused a character");
            }));
    MockEndpoint validate = adviseTranslate();

    send(RouteIds.TRANSLATE, "entry-4");

    assertThat(translateCalls).hasValue(1);
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0))
        .isEqualTo(
            "entry-4|translate|internal error, not retried because the same input fails the same"
                + " way (IllegalStateException: parser refused a character); correct the record or"
                + " report the error");
    validate.expectedMessageCount(0);
    validate.assertIsSatisfied();
  }

  @Test
  void transientFailure_isRetriedThreeTimes_thenEndsFailed() throws Exception {
    build(
        stagesWithTranslate(
            call -> {
              throw new UncheckedIOException(new IOException("postbox share away"));
            }));
    MockEndpoint validate = adviseTranslate();

    send(RouteIds.TRANSLATE, "entry-5");

    // First try plus maximumRedeliveries(3).
    assertThat(translateCalls).hasValue(4);
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0))
        .isEqualTo(
            "entry-5|translate|internal error after retries (UncheckedIOException:"
                + " java.io.IOException: postbox share away)");
    validate.expectedMessageCount(0);
    validate.assertIsSatisfied();
  }

  @Test
  void transientFailureThatPasses_goesOnToTheNextStage_withoutFailedEntry() throws Exception {
    build(
        stagesWithTranslate(
            call -> {
              if (call < 3) {
                throw new UncheckedIOException(new IOException("database away for a moment"));
              }
              return true;
            }));
    MockEndpoint validate = adviseTranslate();
    validate.expectedBodiesReceived("entry-6");

    send(RouteIds.TRANSLATE, "entry-6");

    validate.assertIsSatisfied();
    assertThat(translateCalls).hasValue(3);
    assertThat(failed).isEmpty();
  }

  // --- wiring -----------------------------------------------------------------------------------

  private void build(List<PipelineStage> stages) throws Exception {
    FailedEntries journal =
        (journalId, stage, reason) -> failed.add(journalId + "|" + stage + "|" + reason);
    camel.addRoutes(new ErrorHandlingConfiguration(new FailureRecorder(journal)));
    camel.addRoutes(
        new PipelineRoutes(
            new PipelineDispatcher(camel, camel.createProducerTemplate(), PROPERTIES),
            stages,
            new AdmitAll()));
  }

  /**
   * Every stage route read from direct: instead of its seda queue, so an entry runs through in the
   * test's thread (and no queue consumer slows the context's stop); each hand-over to the next
   * stage's queue goes through {@code mock:<next>} to that stage's direct: endpoint, and deliver's
   * postbox step is followed by {@code mock:delivered}.
   */
  private void adviseAll() throws Exception {
    List<String> stages = RouteIds.STAGES;
    for (int i = 0; i < stages.size(); i++) {
      String stage = stages.get(i);
      String next = i + 1 < stages.size() ? stages.get(i + 1) : null;
      AdviceWith.adviceWith(
          camel,
          stage,
          a -> {
            a.replaceFromWith("direct:" + stage);
            if (next == null) {
              a.weaveById("write-postbox").after().to("mock:delivered");
            } else {
              a.weaveById("to-" + next).replace().to("mock:" + next).to("direct:" + next);
            }
          });
    }
    camel.start();
  }

  /** All stages advised; the mock that sees what translate hands to validate. */
  private MockEndpoint adviseTranslate() throws Exception {
    adviseAll();
    return camel.getEndpoint("mock:" + RouteIds.VALIDATE, MockEndpoint.class);
  }

  private void send(String stage, String journalId) {
    camel
        .createProducerTemplate()
        .sendBodyAndHeader("direct:" + stage, journalId, RouteIds.JOURNAL_ID, journalId);
  }

  private List<PipelineStage> stagesWithTranslate(IntPredicate translate) {
    return List.of(
        recording(RouteIds.GATES),
        translateThat(translate),
        recording(RouteIds.VALIDATE),
        recording(RouteIds.DELIVER));
  }

  /** The translate stage: gets its call number (from 1), answers or throws. */
  private PipelineStage translateThat(IntPredicate behaviour) {
    return new PipelineStage() {
      @Override
      public String stage() {
        return RouteIds.TRANSLATE;
      }

      @Override
      public boolean process(String journalId) {
        visits.add(RouteIds.TRANSLATE + ":" + journalId);
        return behaviour.test(translateCalls.incrementAndGet());
      }
    };
  }

  private PipelineStage recording(String place) {
    return new PipelineStage() {
      @Override
      public String stage() {
        return place;
      }

      @Override
      public boolean process(String journalId) {
        visits.add(place + ":" + journalId);
        return true;
      }
    };
  }

  /** The attempt counter without its journal: every start is admitted. */
  private static final class AdmitAll extends AttemptGuard {
    AdmitAll() {
      super(null, PROPERTIES);
    }

    @Override
    public boolean admit(String journalId, String stage) {
      return true;
    }
  }
}
