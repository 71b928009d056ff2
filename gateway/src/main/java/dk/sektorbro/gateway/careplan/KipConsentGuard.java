package dk.sektorbro.gateway.careplan;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import dk.sektorbro.gateway.gate.DeliveryGuard;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.journal.CanonicalRecords;
import dk.sektorbro.gateway.journal.JournalEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Extension;
import org.springframework.stereotype.Component;

/**
 * A KIP goes out only when its form says the citizen consented to making it (domain.md §3.3 and §4,
 * 003:719-731). Intake refuses any other KIP ({@link PlanAssembler}, {@code plan-consent}); this
 * guard holds the rule for KIPs journaled before it did (held for consent, a resend of one sent
 * before), which a consent registered later would otherwise release. Read from the stored
 * document's CarePlan, the same fact every recipient reads.
 */
@Component
public class KipConsentGuard implements DeliveryGuard {

  public static final String NAME = "plan-consent";
  static final String RULE = "plan-consent";

  private final DocumentRepository documents;
  private final CanonicalRecords records;
  private final FhirContext fhir;
  private final ObjectMapper json;

  public KipConsentGuard(
      DocumentRepository documents, CanonicalRecords records, FhirContext fhir, ObjectMapper json) {
    this.documents = documents;
    this.records = records;
    this.fhir = fhir;
    this.json = json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GateDecision recheck(JournalEntry entry) {
    if (!PlanVersionGuard.mayCarryAPlan(records, entry)) {
      return GateDecision.pass("not a care-plan version", null);
    }
    Optional<StoredDocument> mine =
        documents.findByJournalId(entry.id()).filter(d -> PlanKind.KIP.code().equals(d.planKind()));
    if (mine.isEmpty()) {
      return GateDecision.pass("not a KIP", null);
    }
    Boolean consented = consentToPlan(fhir, documents.bundleJson(mine.get().id()).orElse(null));
    if (Boolean.TRUE.equals(consented)) {
      return GateDecision.pass("the KIP's form says the citizen consented to making it", null);
    }
    return GateDecision.fail(
        RULE
            + ": the form of this KIP (document "
            + mine.get().id()
            + ") "
            + (consented == null
                ? "does not say that the citizen consented to making it"
                : "says the citizen did not consent to making it")
            + "; a KIP the citizen did not consent to is not shared, whatever consent to"
            + " disclosure is registered. Discard it",
        detail(mine.get(), consented));
  }

  /** The CarePlan's consent-to-plan extension: true, false, or null when absent (not stated). */
  static Boolean consentToPlan(FhirContext fhir, String bundleJson) {
    if (bundleJson == null) {
      return null;
    }
    Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, bundleJson);
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      if (e.getResource() instanceof CarePlan plan) {
        Extension consent = plan.getExtensionByUrl(DocumentProfiles.CONSENT_TO_PLAN_EXTENSION);
        return consent != null && consent.getValue() instanceof BooleanType b ? b.getValue() : null;
      }
    }
    return null;
  }

  private String detail(StoredDocument mine, Boolean consented) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("rule", RULE);
    d.put("document", mine.id());
    d.put("consentToPlan", consented == null ? "not stated" : consented ? "yes" : "no");
    try {
      return json.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plan consent decision cannot be serialised", e);
    }
  }
}
