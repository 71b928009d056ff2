package dk.sektorbro.gateway.careplan;

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
import org.springframework.stereotype.Component;

/**
 * A plan version never goes out after a newer version of its plan went: it would reach the
 * recipient last and read as the current plan (a version held for consent and released after its
 * successor was sent; a resend of an older version). Checked before every delivery attempt, so also
 * before a resend and before the FHIR document's POST. The version fails with the reason; an
 * administrator discards it, or the source sends a new version.
 */
@Component
public class PlanVersionGuard implements DeliveryGuard {

  public static final String NAME = "plan-version";
  static final String RULE = "plan-version-superseded";

  private final DocumentRepository documents;
  private final CanonicalRecords records;
  private final ObjectMapper json;

  public PlanVersionGuard(
      DocumentRepository documents, CanonicalRecords records, ObjectMapper json) {
    this.documents = documents;
    this.records = records;
    this.json = json;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public GateDecision recheck(JournalEntry entry) {
    if (!mayCarryAPlan(records, entry)) {
      return GateDecision.pass("not a care-plan version", null);
    }
    Optional<StoredDocument> mine = documents.findByJournalId(entry.id());
    if (mine.isEmpty()) {
      return GateDecision.pass("not a care-plan version", null);
    }
    Optional<StoredDocument> newer = documents.newestSentAfter(mine.get());
    if (newer.isEmpty()) {
      return GateDecision.pass("no newer version of the plan went out", null);
    }
    StoredDocument successor = newer.get();
    return GateDecision.fail(
        RULE
            + ": version "
            + successor.planVersion()
            + " of this plan (document "
            + successor.id()
            + ") went out before this version "
            + mine.get().planVersion()
            + "; sent now, it would reach recipients after its successor and read as the current"
            + " plan. Discard it, or have the source send a new version",
        detail(mine.get(), successor));
  }

  // Every plan version's record discloses "care-plans" (PlanConsent): other messages cost no read
  // of plan_document. A record that cannot be read is looked up all the same.
  static boolean mayCarryAPlan(CanonicalRecords records, JournalEntry entry) {
    try {
      return records.read(entry).informationCategories().contains("care-plans");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return true;
    }
  }

  private String detail(StoredDocument mine, StoredDocument successor) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("rule", RULE);
    d.put("document", mine.id());
    d.put("version", mine.planVersion());
    d.put("newerDocument", successor.id());
    d.put("newerVersion", successor.planVersion());
    d.put("newerJournalId", successor.journalId());
    try {
      return json.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plan version decision cannot be serialised", e);
    }
  }
}
