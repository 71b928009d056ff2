package dk.sektorbro.gateway.careplan;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Care-plan documents by id (the document Bundle's id): the FHIR document as JSON or XML by the
 * Accept header, its PDF, and the list of versions of the same plan. Operators and admins only.
 */
@RestController
@RequestMapping("/api/v1/documents")
public class DocumentsController {

  static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");
  static final MediaType FHIR_XML = MediaType.parseMediaType("application/fhir+xml");

  private final PlanDocuments documents;
  private final OperationOutcomes outcomes;
  private final FhirContext fhir;
  private final DocumentDeliveryRepository deliveries;

  public DocumentsController(
      PlanDocuments documents,
      OperationOutcomes outcomes,
      FhirContext fhir,
      DocumentDeliveryRepository deliveries) {
    this.deliveries = deliveries;
    this.documents = documents;
    this.outcomes = outcomes;
    this.fhir = fhir;
  }

  @GetMapping("/{id}")
  public ResponseEntity<String> document(
      @PathVariable String id,
      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
    Optional<String> json = documents.bundleJson(id);
    if (json.isEmpty()) {
      return notFound();
    }
    if (accept != null && accept.contains("xml") && !accept.contains("json")) {
      Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, json.get());
      return ResponseEntity.ok()
          .contentType(FHIR_XML)
          .body(fhir.newXmlParser().encodeResourceToString(bundle));
    }
    return ResponseEntity.ok().contentType(FHIR_JSON).body(json.get());
  }

  @GetMapping("/{id}/pdf")
  public ResponseEntity<?> pdf(@PathVariable String id) {
    Optional<StoredDocument> document = documents.find(id);
    Optional<byte[]> pdf = documents.pdf(id);
    if (document.isEmpty() || pdf.isEmpty()) {
      return notFound();
    }
    String file = document.get().planKind() + "-v" + document.get().planVersion() + ".pdf";
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + file + "\"")
        .body(pdf.get());
  }

  /** Every version of the plan this document belongs to, oldest first, with what replaces what. */
  @GetMapping("/{id}/versions")
  public ResponseEntity<?> versions(@PathVariable String id) {
    Optional<StoredDocument> document = documents.find(id);
    if (document.isEmpty()) {
      return notFound();
    }
    List<Map<String, Object>> versions =
        documents.versionsOf(document.get()).stream().map(DocumentsController::summary).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", document.get().source());
    body.put("planNumber", document.get().planNumber());
    body.put("planKind", document.get().planKind());
    body.put("versions", versions);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
  }

  /** Where the document Bundle itself went (recipients with a documents-url only). */
  @GetMapping("/{id}/delivery")
  public ResponseEntity<?> delivery(@PathVariable String id) {
    return deliveries
        .find(id)
        .<ResponseEntity<?>>map(
            row -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(delivery(row)))
        .orElseGet(
            () ->
                outcomes.error(
                    HttpStatus.NOT_FOUND,
                    IssueType.NOTFOUND,
                    "this document is not queued for a FHIR document endpoint"));
  }

  /**
   * Document deliveries in one state (default FAILED: the ones an operator must look at), newest
   * first.
   */
  @GetMapping("/deliveries")
  public ResponseEntity<?> deliveries(@RequestParam(defaultValue = "FAILED") String state) {
    DocumentDeliveryRepository.State wanted;
    try {
      wanted = DocumentDeliveryRepository.State.valueOf(state);
    } catch (IllegalArgumentException e) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.VALUE,
          "state must be one of PENDING, DELIVERED, FAILED, CANCELLED");
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(deliveries.inState(wanted, 200).stream().map(DocumentsController::delivery).toList());
  }

  private static Map<String, Object> delivery(DocumentDeliveryRepository.Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("document", row.documentId());
    m.put("journalId", row.journalId());
    m.put("recipientGln", row.recipientGln());
    m.put("state", row.state().name());
    m.put("attempts", row.attempts());
    m.put("nextAttempt", row.dueAt() == null ? null : row.dueAt().toString());
    m.put("lastError", row.lastError());
    m.put("location", row.location());
    m.put("queuedAt", row.queuedAt().toString());
    m.put("updatedAt", row.updatedAt().toString());
    return m;
  }

  private static Map<String, Object> summary(StoredDocument d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("version", d.planVersion());
    m.put("planDate", d.planDate().toString());
    m.put("compositionIdentifier", d.compositionIdentifier());
    m.put("replaces", d.replacesId());
    m.put("journalId", d.journalId());
    m.put("createdAt", d.createdAt().toString());
    m.put("document", "/api/v1/documents/" + d.id());
    m.put("pdf", "/api/v1/documents/" + d.id() + "/pdf");
    return m;
  }

  private ResponseEntity<String> notFound() {
    return outcomes.error(
        HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no care-plan document with this id");
  }
}
