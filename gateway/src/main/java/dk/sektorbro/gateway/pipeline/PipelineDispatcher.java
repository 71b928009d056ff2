package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import java.time.Instant;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands journal ids to the pipeline's stage queues. The queues carry ids only: the journal is the
 * source of truth, so an id lost from a queue (crash, full queue) is picked up again by recovery.
 */
@Component
public class PipelineDispatcher {

  private static final Logger log = LoggerFactory.getLogger(PipelineDispatcher.class);

  private final CamelContext camel;
  private final ProducerTemplate producer;
  private final GatewayProperties.Pipeline pipeline;
  private final Instant startedAt = Instant.now();

  public PipelineDispatcher(CamelContext camel, ProducerTemplate producer, GatewayProperties properties) {
    this.camel = camel;
    this.producer = producer;
    this.pipeline = properties.pipeline();
  }

  public void translate(String journalId) {
    dispatch(translateUri(), journalId);
  }

  public void deliver(String journalId) {
    dispatch(deliverUri(), journalId);
  }

  public String translateUri() {
    return RouteIds.TRANSLATE_QUEUE + "?size=" + pipeline.queueSize()
        + "&concurrentConsumers=" + pipeline.translateWorkers();
  }

  public String deliverUri() {
    return RouteIds.DELIVER_QUEUE + "?size=" + pipeline.queueSize()
        + "&concurrentConsumers=" + pipeline.deliverWorkers();
  }

  /** When the gateway started: entries untouched since before then are unfinished work from a previous run. */
  public Instant startedAt() {
    return startedAt;
  }

  /** True when no id is queued or being processed in any stage. */
  public boolean idle() {
    return queued(translateUri()) == 0
        && queued(deliverUri()) == 0
        && camel.getInflightRepository().size(RouteIds.TRANSLATE) == 0
        && camel.getInflightRepository().size(RouteIds.DELIVER) == 0;
  }

  private int queued(String uri) {
    return camel.getEndpoint(uri, SedaEndpoint.class).getCurrentQueueSize();
  }

  private void dispatch(String uri, String journalId) {
    try {
      producer.sendBodyAndHeader(uri, journalId, RouteIds.JOURNAL_ID, journalId);
    } catch (RuntimeException e) {
      // Journaled already: the recovery sweep resumes it. Never fail the caller for this.
      log.warn("dispatch deferred id={} queue={} cause={}", journalId, uri, e.getClass().getSimpleName());
    }
  }
}
