package dk.sektorbro.gateway.consent;

import java.util.List;

/**
 * What one outbound message would disclose, as the policy sees it: about whom, to whom, which
 * information categories, for which purpose, and the legal basis the sender claims (if any).
 * Codes are kept raw so that an unknown code is a reason to hold, not an exception.
 */
public record Disclosure(
    String citizenCpr,
    Recipient recipient,
    List<String> categories,
    String purpose,
    String messageCategory,
    String legalBasis,
    String legalBasisJustification) {

  public Disclosure {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }

  /** The message's recipient: SOR code, name, and the kind the sender declares (may be null). */
  public record Recipient(String sor, String name, RecipientKind kind) {}
}
