package dk.sektorbro.gateway.consent;

import java.util.Optional;

/** Whether one consent or refusal covers one disclosure; pure helpers of {@link ConsentPolicy}. */
final class ConsentMatch {

  private ConsentMatch() {}

  /** What the consent does not cover (first gap found), or empty when it covers the disclosure. */
  static Optional<String> consentGap(ConsentRecord consent, Disclosure d) {
    if (consent.recipients().stream().noneMatch(r -> r.matches(d.recipient()))) {
      return Optional.of("recipient not named");
    }
    for (String category : d.categories()) {
      if (consent.categories().stream().noneMatch(c -> c.code().equals(category))) {
        return Optional.of("information category " + category + " not covered");
      }
    }
    if (consent.purpose() == null || !consent.purpose().code().equals(d.purpose())) {
      return Optional.of("purpose " + d.purpose() + " not covered");
    }
    return Optional.empty();
  }

  /** A refusal covers the disclosure if it names the recipient and any category or purpose of it. */
  static boolean refusalCovers(ConsentRecord refusal, Disclosure d) {
    boolean recipient = refusal.recipients().stream().anyMatch(r -> r.matches(d.recipient()));
    boolean category = refusal.categories().isEmpty()
        || refusal.categories().stream().anyMatch(c -> d.categories().contains(c.code()));
    boolean purpose = refusal.purpose() == null || refusal.purpose().code().equals(d.purpose());
    return recipient && category && purpose;
  }
}
