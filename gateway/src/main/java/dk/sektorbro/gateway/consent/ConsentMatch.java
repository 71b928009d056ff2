package dk.sektorbro.gateway.consent;

import java.util.Optional;

/** Whether one consent or refusal covers one disclosure; pure helpers of {@link ConsentPolicy}. */
final class ConsentMatch {

  private ConsentMatch() {}

  /** What the consent does not cover (first gap found), or empty when it covers the disclosure. */
  static Optional<String> consentGap(ConsentRecord consent, Disclosure d) {
    if (consent.recipients().stream().noneMatch(r -> r.covers(d.recipient()) != null)) {
      boolean ownGpWithoutSor =
          consent.recipients().stream()
              .anyMatch(r -> r.kind() == RecipientKind.OWN_GP && r.sor() == null);
      Optional<String> notPassed =
          consent.recipients().stream()
              .map(r -> r.sor() == null ? null : d.recipient().notCoveredBy().get(r.sor()))
              .filter(why -> why != null)
              .findFirst();
      return Optional.of(
          ownGpWithoutSor
              ? "names own GP without the practice's SOR code, so it covers no practice"
              : notPassed.map(why -> "recipient not named: " + why).orElse("recipient not named"));
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

  /**
   * How the consent reaches the recipient when not by naming it (a unit above it, a predecessor),
   * else empty.
   */
  static Optional<String> recipientCoverage(ConsentRecord consent, Disclosure d) {
    return consent.recipients().stream()
        .map(r -> r.covers(d.recipient()))
        .filter(how -> how != null && !how.equals("named"))
        .findFirst();
  }

  /**
   * A refusal covers the disclosure if it names the recipient and any category or purpose of it.
   */
  static boolean refusalCovers(ConsentRecord refusal, Disclosure d) {
    boolean recipient = refusal.recipients().stream().anyMatch(r -> r.refuses(d.recipient()));
    boolean category =
        refusal.categories().isEmpty()
            || refusal.categories().stream().anyMatch(c -> d.categories().contains(c.code()));
    boolean purpose = refusal.purpose() == null || refusal.purpose().code().equals(d.purpose());
    return recipient && category && purpose;
  }
}
