package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.consent.CodedValue;
import dk.sektorbro.gateway.consent.ConsentPolicy;
import dk.sektorbro.gateway.consent.ConsentProperties;
import dk.sektorbro.gateway.consent.ConsentRecipient;
import dk.sektorbro.gateway.consent.ConsentRecord;
import dk.sektorbro.gateway.consent.ConsentRegistry;
import dk.sektorbro.gateway.consent.Disclosure;
import dk.sektorbro.gateway.consent.DisclosureFacts;
import dk.sektorbro.gateway.consent.PolicyDecision;
import dk.sektorbro.gateway.consent.RecipientKind;
import dk.sektorbro.gateway.inbound.HandoverProperties.HandoverSystem;
import dk.sektorbro.gateway.inbound.HandoverProperties.OnwardConsent;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Passing a received message on to a municipal system is a disclosure inside the municipality; a
 * system configured to require it gets the message only under a consent in force that covers its
 * unit, the configured information categories and purpose (the same {@link ConsentPolicy} as
 * outbound, so a refusal denies and a legal-basis rule never applies: no basis is claimed).
 */
@Component
public class OnwardDisclosure {

  private final ConsentPolicy policy;
  private final ConsentRegistry registry;
  private final DisclosureFacts facts;
  private final Clock clock;

  public OnwardDisclosure(
      ConsentProperties properties, ConsentRegistry registry, DisclosureFacts facts, Clock clock) {
    this.policy = new ConsentPolicy(properties.legalBasisRules());
    this.registry = registry;
    this.facts = facts;
    this.clock = clock;
  }

  /**
   * Whether the system may have it, and why, in ids and codes only; {@code refused}: the citizen
   * refused it (a recorded refusal), which no administrator's release overrides.
   */
  public record Verdict(boolean permitted, String reason, boolean refused) {

    Verdict(boolean permitted, String reason) {
      this(permitted, reason, false);
    }
  }

  public Verdict check(
      String systemName, HandoverSystem system, String citizenCpr, String messageCategory) {
    OnwardConsent rule = system.consent();
    if (!rule.required()) {
      return new Verdict(true, "no consent required for " + systemName);
    }
    List<ConsentRecord> consents = citizenCpr == null ? List.of() : registry.forCitizen(citizenCpr);
    // The system's unit as the registry places it, as for an outbound message: a consent or a
    // refusal naming the organisation above it (the municipality) reaches it too.
    Disclosure disclosure =
        new Disclosure(
            citizenCpr,
            facts.recipient(
                recipientSor(system),
                systemName,
                CodedValue.byCode(RecipientKind.class, rule.recipientKind()).orElse(null),
                consents.stream()
                    .flatMap(c -> c.recipients().stream())
                    .map(ConsentRecipient::sor)
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList()),
            rule.informationCategories(),
            rule.purpose(),
            messageCategory,
            null,
            null);
    PolicyDecision d = policy.decide(disclosure, consents, OffsetDateTime.now(clock));
    return switch (d.outcome()) {
      case PERMIT ->
          new Verdict(
              true,
              "onward disclosure to "
                  + systemName
                  + " permitted by consent "
                  + d.consentId()
                  // how it reaches the unit (a consent naming the municipality above it)
                  + notes(d));
      case HOLD ->
          new Verdict(
              false,
              "onward disclosure to " + systemName + " needs consent: " + d.reason() + notes(d));
      case DENY ->
          new Verdict(
              false,
              "onward disclosure to "
                  + systemName
                  + " refused by the citizen (refusal "
                  + d.consentId()
                  + ")",
              true);
    };
  }

  static String recipientSor(HandoverSystem system) {
    String configured = system.consent().recipientSor();
    return configured != null ? configured : system.sor().stream().findFirst().orElse(null);
  }

  private static String notes(PolicyDecision d) {
    return d.notes().isEmpty() ? "" : " (" + String.join("; ", d.notes()) + ")";
  }
}
