package dk.sektorbro.gateway.consent;

import java.util.Optional;
import java.util.Set;

/**
 * The scope of one legal basis: which purposes, information categories, recipient kinds and
 * MedCom message categories it covers ({@link #ANY} for all), whether the citizen may refuse it,
 * and whether the sender must write a justification. Relatives are never in scope: they always
 * need explicit consent (001:3230-3233), whatever the configuration says.
 */
public record LegalBasisRule(
    LegalBasis basis,
    boolean enabled,
    Set<String> purposes,
    Set<String> categories,
    Set<String> recipientKinds,
    Set<String> messageCategories,
    boolean refusable,
    boolean justificationRequired) {

  public static final String ANY = "*";

  public LegalBasisRule {
    purposes = Set.copyOf(purposes);
    categories = Set.copyOf(categories);
    recipientKinds = Set.copyOf(recipientKinds);
    messageCategories = Set.copyOf(messageCategories);
  }

  /** Why the disclosure is outside this rule, or empty when it is inside. */
  public Optional<String> outOfScope(Disclosure d) {
    RecipientKind kind = d.recipient().kind();
    if (!enabled) {
      return Optional.of("legal basis " + basis.code() + " is disabled in this installation");
    }
    if (kind == RecipientKind.RELATIVE) {
      return Optional.of("relatives always need explicit consent");
    }
    if (justificationRequired && (d.legalBasisJustification() == null || d.legalBasisJustification().isBlank())) {
      return Optional.of("legal basis " + basis.code() + " requires a written justification");
    }
    if (!allows(purposes, d.purpose())) {
      return Optional.of("purpose " + d.purpose() + " is outside legal basis " + basis.code());
    }
    for (String category : d.categories()) {
      if (!allows(categories, category)) {
        return Optional.of("information category " + category + " is outside legal basis " + basis.code());
      }
    }
    if (!allows(recipientKinds, kind == null ? null : kind.code())) {
      return Optional.of(kind == null
          ? "legal basis " + basis.code() + " needs the recipient's kind, and the record declares none"
          : "recipient kind " + kind.code() + " is outside legal basis " + basis.code());
    }
    if (!allows(messageCategories, d.messageCategory())) {
      return Optional.of("message category " + d.messageCategory() + " is outside legal basis " + basis.code());
    }
    return Optional.empty();
  }

  private static boolean allows(Set<String> scope, String value) {
    return scope.contains(ANY) || (value != null && scope.contains(value));
  }
}
