package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.consent.CodedValue;
import dk.sektorbro.gateway.consent.InformationCategory;
import dk.sektorbro.gateway.consent.Purpose;
import dk.sektorbro.gateway.consent.RecipientKind;
import dk.sektorbro.gateway.inbound.HandoverProperties.HandoverSystem;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks {@code gateway.handover.systems} at start: a system must serve something, name a mapping
 * that exists and has a {@code reverse:} section, and a consent rule must be decidable. A mistake
 * here would otherwise show only when the first message from a hospital arrives.
 */
final class HandoverConfigCheck {

  private HandoverConfigCheck() {}

  static void check(HandoverProperties properties, MappingRegistry mappings) {
    List<String> problems = new ArrayList<>();
    properties
        .systems()
        .forEach((name, system) -> problems.addAll(problems(name, system, mappings)));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "gateway.handover is invalid: " + String.join("; ", problems));
    }
  }

  private static List<String> problems(String name, HandoverSystem s, MappingRegistry mappings) {
    List<String> p = new ArrayList<>();
    String prefix = "systems." + name;
    if (s.sor().isEmpty() && s.gln().isEmpty()) {
      p.add(prefix + ": names no SOR code or GLN it serves");
    }
    if (s.mapping() != null
        && mappings.find(s.mapping()).map(m -> m.reverse() == null).orElse(true)) {
      p.add(prefix + ".mapping: '" + s.mapping() + "' is not a mapping with a reverse section");
    }
    if (!s.consent().required()) {
      return p;
    }
    if (OnwardDisclosure.recipientSor(s) == null) {
      p.add(prefix + ".consent: recipient-sor (or a SOR code of the system) is required");
    }
    if (s.consent().informationCategories().isEmpty()
        || s.consent().informationCategories().stream()
            .anyMatch(c -> CodedValue.byCode(InformationCategory.class, c).isEmpty())) {
      p.add(prefix + ".consent.information-categories: one or more known codes are required");
    }
    if (CodedValue.byCode(Purpose.class, s.consent().purpose()).isEmpty()) {
      p.add(prefix + ".consent.purpose: a known purpose code is required");
    }
    if (s.consent().recipientKind() != null
        && CodedValue.byCode(RecipientKind.class, s.consent().recipientKind()).isEmpty()) {
      p.add(prefix + ".consent.recipient-kind: unknown code");
    }
    return p;
  }
}
