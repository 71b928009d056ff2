package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.platform.PipelineStage;
import dk.sektorbro.gateway.platform.RouteIds;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The stages after intake, one route each, built from the {@link PipelineStage} beans in the order
 * of {@link RouteIds#STAGES}: gates, translate, validate, deliver. Each is a queue of journal ids
 * with its own workers, so a slow stage (validation) never blocks intake or the others.
 */
@Component
public class PipelineRoutes extends RouteBuilder {

  private final PipelineDispatcher queues;
  private final List<PipelineStage> stages;
  private final AttemptGuard attempts;

  public PipelineRoutes(
      PipelineDispatcher queues, List<PipelineStage> stages, AttemptGuard attempts) {
    this.queues = queues;
    this.stages = inOrder(stages);
    this.attempts = attempts;
  }

  /** Every place of {@link RouteIds#STAGES} taken by exactly one stage bean, in that order. */
  static List<PipelineStage> inOrder(List<PipelineStage> stages) {
    Map<String, PipelineStage> byPlace =
        stages.stream()
            .collect(
                Collectors.toMap(
                    PipelineStage::stage,
                    Function.identity(),
                    (a, b) -> {
                      throw new IllegalStateException("two pipeline stages at " + a.stage());
                    }));
    if (!byPlace.keySet().equals(Set.copyOf(RouteIds.STAGES))) {
      throw new IllegalStateException(
          "pipeline stages " + byPlace.keySet() + " do not fill " + RouteIds.STAGES);
    }
    return RouteIds.STAGES.stream().map(byPlace::get).toList();
  }

  @Override
  public void configure() {
    for (int i = 0; i < stages.size() - 1; i++) {
      stage(stages.get(i), stages.get(i + 1).stage());
    }
    PipelineStage last = stages.get(stages.size() - 1);
    // @formatter:off
    from(queues.queueUri(last.stage()))
        .routeId(last.stage())
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(admitted(last.stage()))
        .process(exchange -> last.process(journalId(exchange)))
        .id("write-postbox");
    // @formatter:on
  }

  /** A stage that hands the entry to the next stage's queue when it returns true. */
  private void stage(PipelineStage stage, String next) {
    // @formatter:off
    from(queues.queueUri(stage.stage()))
        .routeId(stage.stage())
        .routeConfigurationId(RouteIds.ERROR_CONFIGURATION)
        .filter(admitted(stage.stage()))
        .filter(exchange -> stage.process(journalId(exchange)))
        .to(queues.queueUri(next))
        .id("to-" + next);
    // @formatter:on
  }

  // Counted before the stage runs; a poison entry is quarantined here instead of run again.
  private Predicate admitted(String stage) {
    return exchange -> attempts.admit(journalId(exchange), stage);
  }

  // The stages are called directly, not through Camel's bean binding (method(bean,
  // "process(${header...})")), which for each of the eight calls per message chose the method,
  // evaluated a simple expression for its argument, converted it and called by reflection: CPU per
  // call, and code the JIT was still compiling thousands of messages in (issue 14).
  private static String journalId(Exchange exchange) {
    return exchange.getMessage().getHeader(RouteIds.JOURNAL_ID, String.class);
  }
}
