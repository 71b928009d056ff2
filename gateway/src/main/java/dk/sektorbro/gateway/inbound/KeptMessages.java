package dk.sektorbro.gateway.inbound;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.consent.ConsentChanged;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Received messages kept from their municipal system for want of a consent: whenever the citizen's
 * consents change, each is offered to the hand-over again (consent checked afresh) and, when it now
 * passes, handed over; the row says when and on which consent. A sweep ({@code
 * gateway.handover.kept.sweep-interval}) offers them all again for what no change event announces.
 */
@Component
public class KeptMessages {

  private static final Logger log = LoggerFactory.getLogger(KeptMessages.class);
  private static final int SWEEP_BATCH = 500;

  private final InboundRepository repository;
  private final Handover handover;
  private final FhirContext fhir;
  private final TransactionTemplate tx;

  public KeptMessages(
      InboundRepository repository, Handover handover, FhirContext fhir, TransactionTemplate tx) {
    this.repository = repository;
    this.handover = handover;
    this.fhir = fhir;
    this.tx = tx;
  }

  @EventListener
  public void onConsentChanged(ConsentChanged change) {
    for (InboundRepository.Kept kept : repository.keptFor(change.citizenCpr())) {
      try {
        // One release at a time per message (its row locked from the claim to the mark): two
        // consent changes at once both found it kept and both wrote it into the system's folder.
        tx.executeWithoutResult(status -> release(kept.id(), "released after a consent change: "));
      } catch (RuntimeException e) {
        // Stays kept; the next consent change for the citizen tries again.
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        log.warn(
            "kept inbound message not released id={} cause={}",
            kept.id(),
            cause.getClass().getSimpleName());
      }
    }
  }

  /** Whether a received message with this journal id exists (kept or not). */
  public boolean exists(String id) {
    return repository.exists(id);
  }

  /**
   * An administrator hands a kept message over on their word (the caller's transaction, with its
   * audit record): the consent is checked again, and where it still does not hold the row says so
   * and who released it. Empty when the message is no longer kept; KEPT when the citizen refused.
   */
  public Optional<Handover.Result> releaseByAdministrator(String id, String actor, String comment) {
    String message = repository.claimKept(id).orElse(null);
    if (message == null) {
      return Optional.empty();
    }
    boolean xml = message.stripLeading().startsWith("<");
    Bundle bundle =
        (xml ? fhir.newXmlParser() : fhir.newJsonParser()).parseResource(Bundle.class, message);
    Handover.Result result;
    try {
      result =
          handover.release(
              bundle, EnvelopeFacts.of(bundle), message, xml, "released by administrator " + actor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (result.status() == Handover.Status.HANDED_OVER) {
      repository.markHandedOver(
          id, result, "released by administrator " + actor + " (" + comment + "): ");
      log.info("kept inbound message released id={} system={}", id, result.system());
    }
    return Optional.of(result);
  }

  /**
   * An administrator decides a kept message is never to be handed over: its content and citizen are
   * deleted here (the hospital keeps its own copy), the row says who and why. False when it is no
   * longer kept.
   */
  public boolean discardByAdministrator(String id, String actor, String reason) {
    if (repository.claimKept(id).isEmpty()) {
      return false;
    }
    log.info("kept inbound message discarded id={}", id);
    return repository.markDiscarded(
        id, "discarded by administrator " + actor + " (" + reason + "); was: ");
  }

  /**
   * Offers every kept message to the hand-over again (consent checked afresh), oldest first, at
   * most {@code SWEEP_BATCH} a pass. The consent-change event misses what comes to hold without a
   * change (a refusal that lapses), a consent recorded while the message was being received (its
   * KEPT row not yet committed), and a release that failed (folder unavailable): without this they
   * waited until the citizen's next consent change or an administrator. Returns how many went.
   */
  public int sweep() {
    int released = 0;
    for (String id : repository.keptIds(SWEEP_BATCH)) {
      try {
        Boolean went = tx.execute(status -> release(id, "released by the kept-message sweep: "));
        released += Boolean.TRUE.equals(went) ? 1 : 0;
      } catch (RuntimeException e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        log.warn(
            "kept inbound message not released by the sweep id={} cause={}",
            id,
            cause.getClass().getSimpleName());
      }
    }
    if (released > 0) {
      log.info("kept inbound messages handed over by the sweep count={}", released);
    }
    return released;
  }

  private boolean release(String id, String reasonPrefix) {
    String message = repository.claimKept(id).orElse(null);
    if (message == null) {
      return false; // handed over meanwhile by another consent change
    }
    boolean xml = message.stripLeading().startsWith("<");
    Bundle bundle =
        (xml ? fhir.newXmlParser() : fhir.newJsonParser()).parseResource(Bundle.class, message);
    Handover.Result result;
    try {
      result = handover.handOver(bundle, EnvelopeFacts.of(bundle), message, xml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (result.status() == Handover.Status.HANDED_OVER
        && repository.markHandedOver(id, result, reasonPrefix)) {
      log.info("kept inbound message handed over id={} system={}", id, result.system());
      return true;
    }
    return false;
  }
}
