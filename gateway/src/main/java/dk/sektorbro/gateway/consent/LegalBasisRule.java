package dk.sektorbro.gateway.consent;

import java.util.Optional;
import java.util.Set;

/**
 * One legal basis as a checked fact, not a claim: which sender kinds may use it, which recipient
 * kinds it reaches, which purposes, information categories and MedCom message categories it covers
 * ({@link #ANY} for all), whether the citizen may refuse it, and what it needs (a written
 * justification, the §13a/§13b plan the disclosure belongs to). A rule applies only when the record
 * states the recipient's kind and the gateway has established the sender's kind. Relatives are
 * never in scope: they always need explicit consent (source 001), whatever the configuration.
 */
public record LegalBasisRule(
    LegalBasis basis,
    boolean enabled,
    Set<String> senderKinds,
    Set<String> purposes,
    Set<String> categories,
    Set<String> recipientKinds,
    Set<String> messageCategories,
    boolean refusable,
    boolean justificationRequired,
    boolean planRequired) {

  public static final String ANY = "*";

  /** Plan kinds (careplan.PlanKind codes) a §13c disclosure may belong to. */
  public static final Set<String> PSYCHIATRY_ACT_PLANS =
      Set.of("discharge-agreement", "coordination-plan");

  /**
   * Plan kinds shared on the citizen's consent only, whatever legal basis a record or an
   * administrator's release claims (docs/careplans.md): the KIP is made with the citizen at a
   * coordination meeting, and its form records the citizen's consent to it (domain.md §4).
   */
  public static final Set<String> CONSENT_ONLY_PLANS = Set.of("kip");

  public LegalBasisRule {
    senderKinds = Set.copyOf(senderKinds);
    purposes = Set.copyOf(purposes);
    categories = Set.copyOf(categories);
    recipientKinds = Set.copyOf(recipientKinds);
    messageCategories = Set.copyOf(messageCategories);
  }

  /** Why the disclosure is outside this rule, or empty when it is inside. */
  public Optional<String> outOfScope(Disclosure d) {
    String code = basis.code();
    RecipientKind kind = d.recipient().kind();
    if (!enabled) {
      return Optional.of("legal basis " + code + " is disabled in this installation");
    }
    if (kind == null) {
      return Optional.of(
          "legal basis "
              + code
              + " applies only when the record states the recipient's kind,"
              + " and it states none");
    }
    if (kind == RecipientKind.RELATIVE) {
      return Optional.of("relatives always need explicit consent");
    }
    SenderKind sender = d.sender().kind();
    if (sender == null) {
      return Optional.of(
          "legal basis "
              + code
              + " needs the sender's kind, and it is not established: "
              + d.sender().how());
    }
    if (!allows(senderKinds, sender.code())) {
      return Optional.of(
          "sender kind "
              + sender.code()
              + " may not use legal basis "
              + code
              + " (it is for: "
              + String.join(", ", senderKinds.stream().sorted().toList())
              + ")");
    }
    if (justificationRequired
        && (d.legalBasisJustification() == null || d.legalBasisJustification().isBlank())) {
      return Optional.of("legal basis " + code + " requires a written justification");
    }
    if (!allows(purposes, d.purpose())) {
      return Optional.of("purpose " + d.purpose() + " is outside legal basis " + code);
    }
    for (String category : d.categories()) {
      if (!allows(categories, category)) {
        return Optional.of("information category " + category + " is outside legal basis " + code);
      }
    }
    if (!allows(recipientKinds, kind.code())) {
      return Optional.of("recipient kind " + kind.code() + " is outside legal basis " + code);
    }
    Sector expected = kind.expectedSector();
    Sector actual = d.recipient().sector();
    // The stated kind is a claim; only the registry's sector makes it a fact. A unit the registry
    // places in no sector (a privately owned one without institution type) confirms nothing, also
    // when the stated kind names no sector (an organisation, a residential facility): it is no
    // authority or health person the registry knows of.
    if (actual == null) {
      return Optional.of(
          "the record says the recipient is "
              + kind.code()
              + ", but the SOR registry places "
              + d.recipient().sor()
              + " in no sector, so that is not established");
    }
    if (expected != null && !actual.within(expected)) {
      return Optional.of(
          "the record says the recipient is "
              + kind.code()
              + ", but the SOR registry places "
              + d.recipient().sor()
              + " in sector "
              + actual.code()
              + (expected == Sector.HOME_NURSING
                  ? " (a unit is home nursing when its SOR institution type is configured so:"
                      + " gateway.consent.sectors.institution-types)"
                  : ""));
    }
    if (!allows(messageCategories, d.messageCategory())) {
      return Optional.of(
          "message category " + d.messageCategory() + " is outside legal basis " + code);
    }
    if (planRequired) {
      return planGap(d.plan());
    }
    return Optional.empty();
  }

  private Optional<String> planGap(Disclosure.PlanFact plan) {
    String code = basis.code();
    if (plan == null || plan.reference() == null) {
      return Optional.of(
          "legal basis "
              + code
              + " needs the discharge agreement (§13a) or coordination plan (§13b)"
              + " the disclosure belongs to, and the record names none");
    }
    if (plan.kind() == null) {
      return Optional.of(
          "plan " + plan.reference() + " is not a plan the gateway knows (" + plan.how() + ")");
    }
    if (!PSYCHIATRY_ACT_PLANS.contains(plan.kind())) {
      return Optional.of(
          "plan "
              + plan.reference()
              + " is a "
              + plan.kind()
              + ", not a discharge agreement (§13a) or coordination plan (§13b)");
    }
    if (!plan.sameCitizen()) {
      return Optional.of("plan " + plan.reference() + " is about another citizen");
    }
    if (plan.notCurrent() != null) {
      return Optional.of(plan.notCurrent());
    }
    if (plan.notParty() != null) {
      return Optional.of(plan.notParty());
    }
    return Optional.empty();
  }

  private static boolean allows(Set<String> scope, String value) {
    return scope.contains(ANY) || (value != null && scope.contains(value));
  }
}
