package dk.sektorbro.gateway.consent;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether an imported consent with a registered id is that same consent: same citizen, type,
 * recipients, categories, purpose and period (instants, whatever offset each system writes). What
 * the form says about who collected or witnessed it, and its revocation, are not its identity: a
 * later export may add a revocation, and a revocation is imported as one.
 */
final class ConsentIdentity {

  private ConsentIdentity() {}

  static boolean same(ConsentRecord a, ConsentRecord b) {
    return differences(a, b).isEmpty();
  }

  /** The parts that differ, named for the text (codes only, never the citizen). */
  static String difference(ConsentRecord registered, ConsentRecord imported) {
    return String.join(", ", differences(registered, imported));
  }

  private static List<String> differences(ConsentRecord a, ConsentRecord b) {
    List<String> differ = new ArrayList<>();
    if (!Objects.equals(a.citizenCpr(), b.citizenCpr())) {
      differ.add("citizen");
    }
    if (a.type() != b.type()) {
      differ.add("type");
    }
    if (!recipients(a).equals(recipients(b))) {
      differ.add("recipients");
    }
    if (!a.categories().equals(b.categories())) {
      differ.add("informationCategories");
    }
    if (a.purpose() != b.purpose()) {
      differ.add("purpose");
    }
    if (!sameInstant(a.givenAt(), b.givenAt())) {
      differ.add("givenAt");
    }
    if (!sameInstant(a.validUntil(), b.validUntil())) {
      differ.add("validUntil");
    }
    return differ;
  }

  private static Set<String> recipients(ConsentRecord c) {
    return c.recipients().stream()
        .map(
            r ->
                r.kind().code()
                    + "|"
                    + (r.sor() != null
                        ? r.sor()
                        : r.name() == null ? "" : r.name().strip().toLowerCase(Locale.ROOT)))
        .collect(Collectors.toSet());
  }

  private static boolean sameInstant(OffsetDateTime a, OffsetDateTime b) {
    return a == null ? b == null : b != null && a.isEqual(b);
  }
}
