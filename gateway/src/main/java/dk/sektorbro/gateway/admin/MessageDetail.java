package dk.sektorbro.gateway.admin;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.consent.ConsentGate;
import dk.sektorbro.gateway.consent.ConsentGuard;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.record.Cpr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Component;

/**
 * One message as the detail page shows it: summary and timeline always; the original record, the
 * canonical record and the FHIR message, pretty-printed, only when personal data is opened
 * (audited).
 */
@Component
public class MessageDetail {

  private static final String ADDRESSING = "addressing";
  private static final List<String> CONSENT_STAGES = List.of(ConsentGate.NAME, ConsentGuard.NAME);

  private final Journal journal;
  private final AdminQueries queries;
  private final ObjectMapper json;
  private final FhirContext fhir;

  public MessageDetail(Journal journal, AdminQueries queries, ObjectMapper json, FhirContext fhir) {
    this.journal = journal;
    this.queries = queries;
    this.json = json;
    this.fhir = fhir;
  }

  /** What the page renders; the payload texts are null unless personal data was opened. */
  public record View(
      JournalEntry entry,
      String cpr,
      String recordId,
      String fileName,
      String reason,
      List<JournalEvent> timeline,
      String original,
      String canonical,
      String fhirMessage,
      Map<String, String> recipient,
      Map<Long, List<Suggestion>> suggestions,
      Map<Long, ConsentRule> consentRules) {}

  /**
   * A registry unit the addressing gate suggested for a recipient it could not settle (e.g. given
   * by name only): organisational data from the SOR registry, shown without opening personal data
   * so the admin can see which unit to edit the message to.
   */
  public record Suggestion(String sor, String gln, String name, String path, String why) {}

  /**
   * What a consent decision (the gate's, or the recheck before delivery) rested on: the rule's code
   * (a legal basis, {@code consent}, {@code refusal}, {@code no-basis}, {@code undetermined}), the
   * consent record, purpose, information categories and the legal basis the record claimed. Codes
   * and ids only: the on-call admin sees which rule held a message without opening personal data.
   * (The decision's notes stay behind "Show personal data": they may name who revoked a consent.)
   */
  public record ConsentRule(
      String decision,
      String rule,
      String consentId,
      String purpose,
      List<String> categories,
      String legalBasisClaimed) {}

  public View view(String id, boolean personal) {
    JournalEntry entry =
        journal.find(id).orElseThrow(() -> ActionRefused.notFound("messages.not-found", id));
    String cpr = queries.cprOf(id);
    List<JournalEvent> history = journal.history(id);
    // An event's text may quote a record id a source made of the citizen's CPR number.
    List<JournalEvent> timeline =
        personal
            ? history
            : history.stream()
                .map(
                    ev ->
                        new JournalEvent(
                            ev.id(),
                            ev.occurredAt(),
                            ev.state(),
                            ev.stage(),
                            Cpr.maskWithin(ev.reason()),
                            ev.detail()))
                .toList();
    return new View(
        entry,
        personal ? cpr : (cpr == null ? "" : Cpr.mask(cpr)),
        // A source may name its files or records after the citizen.
        personal ? entry.sourceRecordId() : Cpr.maskWithin(entry.sourceRecordId()),
        personal ? entry.originalName() : Cpr.maskWithin(entry.originalName()),
        personal ? entry.stateReason() : Cpr.maskWithin(entry.stateReason()),
        timeline,
        personal ? original(id) : null,
        personal ? prettyJson(entry.canonicalRecord()) : null,
        personal ? prettyFhir(entry.fhirMessage(), entry.fhirFormat()) : null,
        recipient(entry.canonicalRecord()),
        suggestions(history),
        consentRules(history));
  }

  // The consent decisions' codes, by event id, from the stages that journal a decision.
  private Map<Long, ConsentRule> consentRules(List<JournalEvent> timeline) {
    Map<Long, ConsentRule> byEvent = new HashMap<>();
    for (JournalEvent event : timeline) {
      if (!CONSENT_STAGES.contains(event.stage()) || event.detail() == null) {
        continue;
      }
      try {
        JsonNode d = json.readTree(event.detail());
        if (!d.hasNonNull("rule") || !d.hasNonNull("decision")) {
          continue;
        }
        List<String> categories = new ArrayList<>();
        d.path("informationCategories").forEach(c -> categories.add(c.asText()));
        byEvent.put(
            event.id(),
            new ConsentRule(
                d.path("decision").asText(),
                d.path("rule").asText(),
                d.path("consentId").asText(null),
                d.path("purpose").asText(null),
                List.copyOf(categories),
                d.path("legalBasisClaimed").asText(null)));
      } catch (IOException e) {
        // a detail that is not JSON names no rule
      }
    }
    return byEvent;
  }

  // The addressing events' suggestions, by event id; only the registry's fields are taken.
  private Map<Long, List<Suggestion>> suggestions(List<JournalEvent> timeline) {
    Map<Long, List<Suggestion>> byEvent = new HashMap<>();
    for (JournalEvent event : timeline) {
      if (!ADDRESSING.equals(event.stage()) || event.detail() == null) {
        continue;
      }
      try {
        List<Suggestion> found = new ArrayList<>();
        for (JsonNode s : json.readTree(event.detail()).path("suggestions")) {
          found.add(
              new Suggestion(
                  s.path("sor").asText(null),
                  s.path("gln").asText(null),
                  s.path("name").asText(null),
                  s.path("path").asText(null),
                  s.path("why").asText(null)));
        }
        if (!found.isEmpty()) {
          byEvent.put(event.id(), found);
        }
      } catch (IOException e) {
        // a detail that is not JSON has no suggestions to show
      }
    }
    return byEvent;
  }

  // Recipient of the canonical record (organisational data, prefilled in the edit form).
  private Map<String, String> recipient(String canonical) {
    try {
      var node = canonical == null ? null : json.readTree(canonical).get("recipient");
      if (node == null || node.isNull()) {
        return Map.of("sor", "", "gln", "", "name", "");
      }
      return Map.of(
          "sor",
          node.path("sor").asText(""),
          "gln",
          node.path("gln").asText(""),
          "name",
          node.path("name").asText(""));
    } catch (IOException e) {
      return Map.of("sor", "", "gln", "", "name", "");
    }
  }

  private String original(String id) {
    return journal
        .payload(id)
        .map(
            bytes ->
                MessageViews.utf8(bytes)
                    .map(
                        text -> {
                          String trimmed = text.stripLeading();
                          return trimmed.startsWith("{") || trimmed.startsWith("[")
                              ? prettyJson(text)
                              : text;
                        })
                    .orElse("(not UTF-8 text: " + bytes.length + " bytes)"))
        .orElse(null);
  }

  private String prettyJson(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(text));
    } catch (IOException e) {
      return text;
    }
  }

  private String prettyFhir(String message, String format) {
    if (message == null) {
      return null;
    }
    try {
      boolean xml = "XML".equals(format);
      IBaseResource resource =
          (xml ? fhir.newXmlParser() : fhir.newJsonParser()).parseResource(message);
      return (xml ? fhir.newXmlParser() : fhir.newJsonParser())
          .setPrettyPrint(true)
          .encodeResourceToString(resource);
    } catch (RuntimeException e) {
      return message;
    }
  }
}
