package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.consent.PolicyDecision.Outcome;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consent decision, as a pure function of the disclosure, the citizen's consents and refusals,
 * and the time. Order: undeterminable content is held; a claimed legal basis in scope permits
 * unless the citizen refused and may refuse it; a matching refusal denies; a consent that covers
 * recipient, every category and the purpose permits; anything else is held.
 */
public final class ConsentPolicy {

  private final Map<LegalBasis, LegalBasisRule> rules;

  public ConsentPolicy(Map<LegalBasis, LegalBasisRule> rules) {
    this.rules = Map.copyOf(rules);
  }

  public PolicyDecision decide(Disclosure d, List<ConsentRecord> registered, OffsetDateTime at) {
    Optional<String> undetermined = undetermined(d);
    if (undetermined.isPresent()) {
      return decision(
          Outcome.HOLD, PolicyDecision.UNDETERMINED, null, undetermined.get(), List.of());
    }
    List<String> notes = new ArrayList<>();
    List<ConsentRecord> inForce =
        registered.stream()
            .filter(c -> c.citizenCpr().equals(d.citizenCpr()) && c.inForceAt(at))
            .toList();
    Optional<ConsentRecord> refusal =
        inForce.stream()
            .filter(c -> c.type() == ConsentRecord.Type.REFUSAL && ConsentMatch.refusalCovers(c, d))
            .findFirst();
    // Why a claimed legal basis did not apply: the first note legalBasis() adds when it refuses.
    String basisRejected = null;
    if (d.legalBasis() != null) {
      Optional<PolicyDecision> byLaw = legalBasis(d, refusal, notes);
      if (byLaw.isPresent()) {
        return byLaw.get();
      }
      basisRejected = notes.isEmpty() ? null : notes.get(0);
    }
    if (refusal.isPresent()) {
      return decision(
          Outcome.DENY,
          PolicyDecision.REFUSAL,
          refusal.get().id(),
          "the citizen has refused this disclosure",
          notes);
    }
    for (ConsentRecord consent : inForce) {
      if (consent.type() != ConsentRecord.Type.CONSENT) {
        continue;
      }
      Optional<String> gap = ConsentMatch.consentGap(consent, d);
      if (gap.isEmpty()) {
        ConsentMatch.recipientCoverage(consent, d)
            .ifPresent(how -> notes.add("consent " + consent.id() + ": " + how));
        return decision(
            Outcome.PERMIT,
            PolicyDecision.CONSENT,
            consent.id(),
            "consent covers recipient, information categories and purpose",
            notes);
      }
      notes.add("consent " + consent.id() + ": " + gap.get());
    }
    lapsed(d, registered, at).forEach(notes::add);
    // A basis the sender (or an admin's release) claimed is the first thing they will look for.
    String noBasis =
        "no consent in force covers this recipient, these information categories and this purpose";
    return decision(
        Outcome.HOLD,
        PolicyDecision.NO_BASIS,
        null,
        basisRejected == null
            ? noBasis
            : noBasis + "; the claimed legal basis does not apply: " + basisRejected,
        notes);
  }

  /**
   * Every consent of this citizen to this recipient that is no longer (or not yet) in force, and
   * why: a hold must not just say "no consent" when the staff know there was one.
   */
  static List<String> lapsed(Disclosure d, List<ConsentRecord> registered, OffsetDateTime at) {
    List<String> lapsed = new ArrayList<>();
    for (ConsentRecord c : registered) {
      if (c.type() != ConsentRecord.Type.CONSENT
          || !c.citizenCpr().equals(d.citizenCpr())
          || c.inForceAt(at)
          || c.recipients().stream().noneMatch(r -> r.covers(d.recipient()) != null)) {
        continue;
      }
      if (c.revocation() != null && !at.isBefore(c.revocation().revokedAt())) {
        lapsed.add(
            "consent "
                + c.id()
                + " to this recipient was revoked at "
                + c.revocation().revokedAt()
                + " by "
                + c.revocation().revokedBy());
      } else if (c.validUntil() != null && at.isAfter(c.validUntil())) {
        lapsed.add("consent " + c.id() + " to this recipient expired on " + c.validUntil());
      } else if (at.isBefore(c.givenAt())) {
        lapsed.add(
            "consent " + c.id() + " to this recipient is given from " + c.givenAt() + " only");
      }
    }
    return lapsed;
  }

  private Optional<PolicyDecision> legalBasis(
      Disclosure d, Optional<ConsentRecord> refusal, List<String> notes) {
    // Intake drops a source's claim on a KIP; this keeps an administrator's release (which writes
    // its legal basis into the record) to the same rule.
    if (d.plan() != null
        && d.plan().carried()
        && LegalBasisRule.CONSENT_ONLY_PLANS.contains(d.plan().kind())) {
      notes.add(
          "claimed legal basis "
              + d.legalBasis()
              + " does not apply: the message is a KIP ("
              + d.plan().kind()
              + "), shared on the citizen's consent only");
      return Optional.empty();
    }
    Optional<LegalBasis> basis = CodedValue.byCode(LegalBasis.class, d.legalBasis());
    LegalBasisRule rule = basis.map(rules::get).orElse(null);
    if (rule == null) {
      notes.add("claimed legal basis " + d.legalBasis() + " is unknown");
      return Optional.empty();
    }
    Optional<String> outside = rule.outOfScope(d);
    if (outside.isPresent()) {
      notes.add(outside.get());
      return Optional.empty();
    }
    if (refusal.isPresent() && rule.refusable()) {
      return Optional.of(
          decision(
              Outcome.DENY,
              PolicyDecision.REFUSAL,
              refusal.get().id(),
              "the citizen has refused this disclosure, and may refuse legal basis "
                  + rule.basis().code(),
              notes));
    }
    if (refusal.isPresent()) {
      notes.add(
          "refusal "
              + refusal.get().id()
              + " does not apply: legal basis "
              + rule.basis().code()
              + " cannot be refused");
    }
    return Optional.of(
        decision(Outcome.PERMIT, rule.basis().code(), null, rule.basis().display(), notes));
  }

  // Without known categories and purpose, no consent or rule can be matched: hold, never guess.
  private static Optional<String> undetermined(Disclosure d) {
    if (d.categories().isEmpty()) {
      return Optional.of("the record does not say which information categories it discloses");
    }
    for (String category : d.categories()) {
      if (CodedValue.byCode(InformationCategory.class, category).isEmpty()) {
        return Optional.of("unknown information category " + category);
      }
    }
    if (d.purpose() == null) {
      return Optional.of("the record does not say for which purpose it discloses");
    }
    if (CodedValue.byCode(Purpose.class, d.purpose()).isEmpty()) {
      return Optional.of("unknown purpose " + d.purpose());
    }
    if (d.citizenCpr() == null) {
      return Optional.of("the record does not identify the citizen");
    }
    return Optional.empty();
  }

  private static PolicyDecision decision(
      Outcome outcome, String basis, String consentId, String reason, List<String> notes) {
    return new PolicyDecision(outcome, basis, consentId, reason, notes);
  }
}
