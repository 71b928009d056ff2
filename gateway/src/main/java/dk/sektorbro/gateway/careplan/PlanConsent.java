package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the consent gate needs to know about a plan, written into the record that carries it: the
 * information categories its sections disclose (plus "care-plans" for the plan itself), and the
 * legal basis of its kind. §13a/§13b plans are shared under the Psychiatry Act §13c; a KIP is
 * always shared on the citizen's consent, whatever the source claims. The letter text gets the
 * plan's header and warnings ({@link PlanHtml#letter}). Pure function.
 */
public final class PlanConsent {

  private PlanConsent() {}

  public static CanonicalRecord apply(
      CanonicalRecord record, Plan plan, List<CanonicalRecord.Attachment> attachments) {
    Set<String> categories = new LinkedHashSet<>(record.informationCategories());
    categories.add("care-plans");
    plan.sections().forEach(s -> categories.add(s.kind().informationCategory()));
    if (!plan.admission().isEmpty()) {
      categories.add("admission-status");
    }
    String legalBasis =
        plan.kind().legalBasis() != null
            ? plan.kind().legalBasis()
            : plan.kind() == PlanKind.KIP ? null : record.legalBasis();
    String justification = legalBasis == null ? null : record.legalBasisJustification();
    String purpose =
        record.purpose() != null
            ? record.purpose()
            : plan.kind().legalBasis() != null ? "discharge-planning" : "care-coordination";
    return new CanonicalRecord(
        record.sourceRecordId(),
        record.citizen(),
        record.sender(),
        record.author(),
        record.recipient(),
        record.category(),
        record.topic(),
        PlanHtml.letter(plan, record.text()),
        record.priority(),
        record.episodeOfCareId(),
        record.sentAt(),
        List.copyOf(categories),
        purpose,
        attachments,
        legalBasis,
        justification,
        record.recipientKind(),
        record.senderUnit(),
        record.recipientUnit(),
        record.thread(),
        record.planReference());
  }
}
