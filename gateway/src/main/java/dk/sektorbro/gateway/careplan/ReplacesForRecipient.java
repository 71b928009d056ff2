package dk.sektorbro.gateway.careplan;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.springframework.stereotype.Component;

/**
 * The stored document as one FHIR endpoint gets it. The version a document replaces is chosen when
 * it is stored, over every recipient of the plan: the newest earlier version that went out to
 * anyone. A recipient reads "replaces" as "the version I hold is no longer current"; one named that
 * it never received leaves the version it does hold current beside the new one (versions sent to
 * different recipients, a version held or discarded after its successor was stored). So before each
 * POST the document names the newest earlier version this endpoint has or may have, or none.
 */
@Component
public class ReplacesForRecipient {

  private final DocumentRepository documents;
  private final FhirContext fhir;

  public ReplacesForRecipient(DocumentRepository documents, FhirContext fhir) {
    this.documents = documents;
    this.fhir = fhir;
  }

  /** The document to post, and, when it is not the stored one, what was changed and why. */
  public record ForRecipient(String bundleJson, String note) {}

  public ForRecipient document(String documentId, String gln) {
    String stored = documents.bundleJson(documentId).orElseThrow();
    StoredDocument mine = documents.find(documentId).orElseThrow();
    Optional<StoredDocument> received = documents.newestPostedBefore(mine, gln);
    String receivedId = received.map(StoredDocument::id).orElse(null);
    if (Objects.equals(receivedId, mine.replacesId())) {
      return new ForRecipient(stored, null);
    }
    String storedNames =
        mine.replacesId() == null
            ? "none"
            : documents
                .find(mine.replacesId())
                .map(d -> "version " + d.planVersion() + " (document " + d.id() + ")")
                .orElse("document " + mine.replacesId());
    String note =
        "for this endpoint it replaces "
            + received
                .map(d -> "version " + d.planVersion() + " (document " + d.id() + ")")
                .orElse("no version")
            + ", the newest earlier version posted to it; the stored document replaces "
            + storedNames
            + ", chosen when it was stored from the versions that had gone out to any recipient";
    return new ForRecipient(
        withReplaces(
            fhir, stored, received.map(StoredDocument::compositionIdentifier).orElse(null)),
        note);
  }

  /** The document with {@code replaces} (a Composition identifier, or null for none). */
  static String withReplaces(FhirContext fhir, String bundleJson, String replaces) {
    Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, bundleJson);
    PlanDocumentBuilder.replaces((Composition) bundle.getEntryFirstRep().getResource(), replaces);
    return fhir.newJsonParser().encodeResourceToString(bundle);
  }
}
