package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link ConsentPolicy} for one canonical record against the registry as it is now, and
 * explains the decision for the journal: rule, consent id, categories, recipient, purpose. The
 * explanation carries codes and ids only, no names or CPR numbers.
 */
@Component
public class ConsentEvaluator {

  private final ConsentPolicy policy;
  private final ConsentRegistry registry;
  private final DisclosureFacts facts;
  private final ThreadDisclosures threads;
  private final Clock clock;
  private final ObjectMapper json;

  public ConsentEvaluator(
      ConsentProperties properties,
      ConsentRegistry registry,
      DisclosureFacts facts,
      ThreadDisclosures threads,
      Clock clock,
      ObjectMapper json) {
    this.policy = new ConsentPolicy(properties.legalBasisRules());
    this.registry = registry;
    this.facts = facts;
    this.threads = threads;
    this.clock = clock;
    this.json = json;
  }

  /** The decision for one journaled record (its source says who the sender is), as of now. */
  public Evaluation evaluate(JournalEntry entry, CanonicalRecord record) {
    OffsetDateTime at = OffsetDateTime.now(clock);
    String cpr = record.citizen() == null ? null : record.citizen().cpr();
    // With a CPR number and a journal entry: the consents and the plan version the entry carries
    // in one read (DisclosureFacts would read the plan on its own).
    ConsentRepository.ConsentsAndPlan read =
        cpr == null || entry == null ? null : registry.forCitizenWithCarriedPlan(cpr, entry.id());
    List<ConsentRecord> consents =
        read != null ? read.consents() : cpr == null ? List.of() : registry.forCitizen(cpr);
    List<String> consentSors =
        consents.stream()
            .flatMap(c -> c.recipients().stream())
            .map(ConsentRecipient::sor)
            .filter(Objects::nonNull)
            .distinct()
            .toList();
    Disclosure disclosure =
        facts.of(
            entry,
            record,
            consentSors,
            read != null ? read.carriedPlan() : facts.carriedPlan(entry));
    // A reply or forward repeats earlier messages: what they disclosed to another recipient is
    // disclosed again, to this one, and must be covered too.
    List<String> repeats = new ArrayList<>();
    disclosure = withRepeated(disclosure, threads.of(entry, record), repeats);
    PolicyDecision decision = policy.decide(disclosure, consents, at);
    if (!repeats.isEmpty()) {
      List<String> notes = new ArrayList<>(repeats);
      notes.addAll(decision.notes());
      decision =
          new PolicyDecision(
              decision.outcome(), decision.basis(), decision.consentId(), decision.reason(), notes);
    }
    return new Evaluation(disclosure, decision, at);
  }

  /**
   * The disclosure with the categories of the earlier messages it repeats to a new recipient, each
   * repeat explained in {@code notes}.
   */
  static Disclosure withRepeated(
      Disclosure d, List<ThreadDisclosures.Repeated> repeated, List<String> notes) {
    Set<String> categories = new LinkedHashSet<>(d.categories());
    String to = d.recipient().sor();
    for (ThreadDisclosures.Repeated r : repeated) {
      if (r.received()) {
        notes.add(
            "repeats MessageHeader "
                + r.messageHeaderId()
                + ", received by the gateway: its information categories are not known here,"
                + " the record's must cover it");
      } else if (to != null && to.equals(r.recipientSor())) {
        notes.add(
            "repeats MessageHeader "
                + r.messageHeaderId()
                + " (journal entry "
                + r.journalEntryId()
                + "), sent to this recipient before: nothing new disclosed by it");
      } else if (r.categories().isEmpty()) {
        notes.add(
            "repeats MessageHeader "
                + r.messageHeaderId()
                + " (journal entry "
                + r.journalEntryId()
                + "), sent to SOR "
                + r.recipientSor()
                + ": its information categories are no longer known, the record's must cover it");
      } else {
        categories.addAll(r.categories());
        notes.add(
            "repeats MessageHeader "
                + r.messageHeaderId()
                + " (journal entry "
                + r.journalEntryId()
                + "), sent to SOR "
                + r.recipientSor()
                + ", to this recipient: its information categories "
                + String.join(", ", r.categories())
                + " are disclosed again");
      }
    }
    if (categories.size() == d.categories().size()) {
      return d;
    }
    return new Disclosure(
        d.citizenCpr(),
        d.recipient(),
        List.copyOf(categories),
        d.purpose(),
        d.messageCategory(),
        d.legalBasis(),
        d.legalBasisJustification(),
        d.sender(),
        d.plan());
  }

  /**
   * The decision in the pipeline's terms: PERMIT passes, HOLD parks in HELD_CONSENT, DENY fails.
   */
  public GateDecision toGate(Evaluation e) {
    PolicyDecision d = e.decision();
    String detail = detail(e);
    return switch (d.outcome()) {
      case PERMIT -> GateDecision.pass(reason(e), detail);
      case HOLD -> GateDecision.hold(MessageState.HELD_CONSENT, reason(e), detail);
      case DENY -> GateDecision.fail(reason(e), detail);
    };
  }

  public String reason(Evaluation e) {
    PolicyDecision d = e.decision();
    return switch (d.outcome()) {
      case PERMIT ->
          d.consentId() != null
              ? "permitted by consent " + d.consentId()
              : "permitted by legal basis " + d.basis() + ": " + d.reason();
      // The rule's code in the reason: the message list and dashboard show it without opening the
      // decision's detail.
      case HOLD -> "held for consent (rule " + d.basis() + "): " + d.reason();
      case DENY -> "denied: " + d.reason() + " (refusal " + d.consentId() + ")";
    };
  }

  public String detail(Evaluation e) {
    PolicyDecision d = e.decision();
    Disclosure x = e.disclosure();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decision", d.outcome().name());
    m.put("rule", d.basis());
    m.put("consentId", d.consentId());
    m.put("reason", d.reason());
    m.put("informationCategories", x.categories());
    m.put("purpose", x.purpose());
    Map<String, Object> recipient = new LinkedHashMap<>();
    recipient.put("sor", x.recipient().sor());
    recipient.put("kind", x.recipient().kind() == null ? null : x.recipient().kind().code());
    recipient.put("sector", x.recipient().sector() == null ? null : x.recipient().sector().code());
    m.put("recipient", recipient);
    Map<String, Object> sender = new LinkedHashMap<>();
    sender.put("kind", x.sender().kind() == null ? null : x.sender().kind().code());
    sender.put("how", x.sender().how());
    m.put("sender", sender);
    m.put("messageCategory", x.messageCategory());
    m.put("legalBasisClaimed", x.legalBasis());
    if (x.plan() != null) {
      Map<String, Object> plan = new LinkedHashMap<>();
      plan.put("reference", x.plan().reference());
      plan.put("kind", x.plan().kind());
      plan.put("how", x.plan().how());
      m.put("plan", plan);
    }
    m.put("decidedAt", e.at().toString());
    m.put("notes", d.notes());
    try {
      return json.writeValueAsString(m);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("decision cannot be serialised", ex);
    }
  }

  /** One decision with what it was about and when it was made. */
  public record Evaluation(Disclosure disclosure, PolicyDecision decision, OffsetDateTime at) {}
}
