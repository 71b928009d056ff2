package dk.sektorbro.gateway.inbound;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.consent.ConsentChanged;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import java.io.IOException;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Received messages kept from their municipal system for want of a consent: whenever the citizen's
 * consents change, each is offered to the hand-over again (consent checked afresh) and, when it now
 * passes, handed over; the row says when and on which consent.
 */
@Component
public class KeptMessages {

  private static final Logger log = LoggerFactory.getLogger(KeptMessages.class);

  private final InboundRepository repository;
  private final Handover handover;
  private final FhirContext fhir;

  public KeptMessages(InboundRepository repository, Handover handover, FhirContext fhir) {
    this.repository = repository;
    this.handover = handover;
    this.fhir = fhir;
  }

  @EventListener
  public void onConsentChanged(ConsentChanged change) {
    for (InboundRepository.Kept kept : repository.keptFor(change.citizenCpr())) {
      try {
        release(kept);
      } catch (IOException | RuntimeException e) {
        // Stays kept; the next consent change for the citizen tries again.
        log.warn(
            "kept inbound message not released id={} cause={}",
            kept.id(),
            e.getClass().getSimpleName());
      }
    }
  }

  private void release(InboundRepository.Kept kept) throws IOException {
    boolean xml = kept.message().stripLeading().startsWith("<");
    Bundle bundle =
        (xml ? fhir.newXmlParser() : fhir.newJsonParser())
            .parseResource(Bundle.class, kept.message());
    Handover.Result result =
        handover.handOver(bundle, EnvelopeFacts.of(bundle), kept.message(), xml);
    if (result.status() == Handover.Status.HANDED_OVER
        && repository.markHandedOver(kept.id(), result, "released after a consent change: ")) {
      log.info("kept inbound message handed over id={} system={}", kept.id(), result.system());
    }
  }
}
