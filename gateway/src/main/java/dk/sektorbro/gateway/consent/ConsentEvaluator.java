package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.pipeline.GateDecision;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final Clock clock;
  private final ObjectMapper json;

  public ConsentEvaluator(ConsentProperties properties, ConsentRegistry registry, Clock clock, ObjectMapper json) {
    this.policy = new ConsentPolicy(properties.legalBasisRules());
    this.registry = registry;
    this.clock = clock;
    this.json = json;
  }

  public Evaluation evaluate(CanonicalRecord record) {
    Disclosure disclosure = disclosure(record);
    OffsetDateTime at = OffsetDateTime.now(clock);
    List<ConsentRecord> consents = disclosure.citizenCpr() == null ? List.of()
        : registry.forCitizen(disclosure.citizenCpr());
    return new Evaluation(disclosure, policy.decide(disclosure, consents, at), at);
  }

  /** The decision in the pipeline's terms: PERMIT passes, HOLD parks in HELD_CONSENT, DENY fails. */
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
      case PERMIT -> d.consentId() != null ? "permitted by consent " + d.consentId()
          : "permitted by legal basis " + d.basis() + ": " + d.reason();
      case HOLD -> "held for consent: " + d.reason();
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
    m.put("recipient", recipient);
    m.put("messageCategory", x.messageCategory());
    m.put("legalBasisClaimed", x.legalBasis());
    m.put("decidedAt", e.at().toString());
    m.put("notes", d.notes());
    try {
      return json.writeValueAsString(m);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("decision cannot be serialised", ex);
    }
  }

  static Disclosure disclosure(CanonicalRecord r) {
    RecipientKind kind = CodedValue.byCode(RecipientKind.class, r.recipientKind()).orElse(null);
    CanonicalRecord.Organisation to = r.recipient();
    return new Disclosure(
        // A citizen without a CPR number is identified by the replacement CPR (issue 13, tec-04):
        // no consent is recorded under it, so only a legal basis can permit the disclosure.
        r.citizen() == null ? null : r.citizen().cpr() != null ? r.citizen().cpr() : r.citizen().replacementCpr(),
        new Disclosure.Recipient(to == null ? null : to.sor(), to == null ? null : to.name(), kind),
        r.informationCategories(),
        r.purpose(),
        r.category(),
        r.legalBasis(),
        r.legalBasisJustification());
  }

  /** One decision with what it was about and when it was made. */
  public record Evaluation(Disclosure disclosure, PolicyDecision decision, OffsetDateTime at) {}
}
