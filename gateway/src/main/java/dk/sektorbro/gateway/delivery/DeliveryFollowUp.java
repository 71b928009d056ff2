package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.journal.JournalEntry;

/**
 * Work that follows a message's hand-over to its transport (e.g. a care-plan document for a
 * FHIR-capable recipient). Called inside the transaction that makes the entry SENT, so the
 * follow-up is queued durably exactly when the message passed its guards and left; called again on
 * every resend, so implementations must be idempotent.
 */
public interface DeliveryFollowUp {

  void sent(JournalEntry entry, RecipientRoute route);
}
