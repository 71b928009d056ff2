package dk.sektorbro.gateway.careplan;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import dk.sektorbro.gateway.careplan.DocumentRepository.WithContent;
import dk.sektorbro.gateway.careplan.DocumentViews.DeliveryView;
import dk.sektorbro.gateway.careplan.DocumentViews.PlanVersions;
import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Refuses;
import java.security.Principal;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.context.ApplicationEventPublisher;
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
  private final DocumentViews views;
  private final FhirContext fhir;

  private final ApplicationEventPublisher events;

  public DocumentsController(
      PlanDocuments documents,
      DocumentViews views,
      FhirContext fhir,
      ApplicationEventPublisher events) {
    this.documents = documents;
    this.views = views;
    this.fhir = fhir;
    this.events = events;
  }

  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping("/{id}")
  public ResponseEntity<String> document(
      @PathVariable String id,
      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
      Principal user) {
    // The version and its Bundle in one read (they were two: the Bundle, then the version again).
    WithContent<String> found = documents.withBundle(id).orElseThrow(DocumentsController::notFound);
    String json = found.content();
    // The answer carries the citizen's plan in full: an audited access, as a message's is.
    read(user, found.document(), "document");
    if (accept != null && accept.contains("xml") && !accept.contains("json")) {
      Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, json);
      return ResponseEntity.ok()
          .contentType(FHIR_XML)
          .body(fhir.newXmlParser().encodeResourceToString(bundle));
    }
    return ResponseEntity.ok().contentType(FHIR_JSON).body(json);
  }

  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping("/{id}/pdf")
  public ResponseEntity<byte[]> pdf(@PathVariable String id, Principal user) {
    WithContent<byte[]> found = documents.withPdf(id).orElseThrow(DocumentsController::notFound);
    StoredDocument document = found.document();
    read(user, document, "PDF");
    String file = document.planKind() + "-v" + document.planVersion() + ".pdf";
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_PDF)
        .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + file + "\"")
        .body(found.content());
  }

  private void read(Principal user, StoredDocument document, String form) {
    events.publishEvent(
        new DocumentRead(
            user == null ? "?" : user.getName(), document.journalId(), document.id(), form));
  }

  /** Every version of the plan this document belongs to, oldest first, with what replaces what. */
  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping("/{id}/versions")
  public ResponseEntity<PlanVersions> versions(@PathVariable String id) {
    return json(views.versions(id).orElseThrow(DocumentsController::notFound));
  }

  /** Where the document Bundle itself went (recipients with a documents-url only). */
  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping("/{id}/delivery")
  public ResponseEntity<DeliveryView> delivery(@PathVariable String id) {
    return json(
        views
            .delivery(id)
            .orElseThrow(() -> ApiException.notFound("documents.delivery.not-found")));
  }

  /**
   * Document deliveries in one state (default FAILED: the ones an operator must look at), newest
   * first.
   */
  @Refuses(HttpStatus.BAD_REQUEST)
  @GetMapping("/deliveries")
  public ResponseEntity<List<DeliveryView>> deliveries(
      @RequestParam(defaultValue = "FAILED") String state) {
    DocumentDeliveryRepository.State wanted;
    try {
      wanted = DocumentDeliveryRepository.State.valueOf(state);
    } catch (IllegalArgumentException e) {
      throw ApiException.badValue("documents.deliveries.state");
    }
    return json(views.deliveries(wanted));
  }

  // JSON whatever the Accept header asks for (no XML rendering of these views).
  private static <T> ResponseEntity<T> json(T body) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
  }

  private static ApiException notFound() {
    return ApiException.notFound("documents.not-found");
  }
}
