package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What the documents API shows of care-plan documents and their deliveries to FHIR document
 * endpoints, read for it: the versions of a plan and the document_delivery rows.
 */
@Component
public class DocumentViews {

  static final int DELIVERIES_SHOWN = 200;

  private final PlanDocuments documents;
  private final DocumentDeliveryRepository deliveries;

  public DocumentViews(PlanDocuments documents, DocumentDeliveryRepository deliveries) {
    this.documents = documents;
    this.deliveries = deliveries;
  }

  /** Every version of one plan, oldest first. */
  public record PlanVersions(
      String source, String planNumber, String planKind, List<VersionView> versions) {}

  /** One version: what it replaces, the journal entry that carried it, and where to read it. */
  public record VersionView(
      String id,
      int version,
      String planDate,
      String compositionIdentifier,
      String replaces,
      String journalId,
      String createdAt,
      String document,
      String pdf) {}

  /** Where a document Bundle went: its state, attempts and the last error. */
  public record DeliveryView(
      String document,
      String journalId,
      String recipientGln,
      String state,
      int attempts,
      String nextAttempt,
      String lastError,
      String location,
      String queuedAt,
      String updatedAt) {}

  Optional<PlanVersions> versions(String id) {
    return documents
        .find(id)
        .map(
            d ->
                new PlanVersions(
                    d.source(),
                    d.planNumber(),
                    d.planKind(),
                    documents.versionsOf(d).stream().map(DocumentViews::version).toList()));
  }

  Optional<DeliveryView> delivery(String documentId) {
    return deliveries.find(documentId).map(DocumentViews::delivery);
  }

  /** Deliveries in one state, newest first, at most {@link #DELIVERIES_SHOWN}. */
  List<DeliveryView> deliveries(DocumentDeliveryRepository.State state) {
    return deliveries.inState(state, DELIVERIES_SHOWN).stream()
        .map(DocumentViews::delivery)
        .toList();
  }

  private static DeliveryView delivery(DocumentDeliveryRepository.Row row) {
    return new DeliveryView(
        row.documentId(),
        row.journalId(),
        row.recipientGln(),
        row.state().name(),
        row.attempts(),
        row.dueAt() == null ? null : row.dueAt().toString(),
        row.lastError(),
        row.location(),
        row.queuedAt().toString(),
        row.updatedAt().toString());
  }

  private static VersionView version(StoredDocument d) {
    return new VersionView(
        d.id(),
        d.planVersion(),
        d.planDate().toString(),
        d.compositionIdentifier(),
        d.replacesId(),
        d.journalId(),
        d.createdAt().toString(),
        "/api/v1/documents/" + d.id(),
        "/api/v1/documents/" + d.id() + "/pdf");
  }
}
