package dk.sektorbro.gateway.careplan;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import dk.sektorbro.gateway.careplan.PlanDocumentBuilder.PlanDocument;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.mapping.MappingOutcome;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MessageValidator;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Intake's side of care plans: a mapped plan record becomes a FHIR document and a PDF, and the
 * record that goes down the ordinary pipeline (consent, addressing, CareCommunication, validation,
 * postbox) carries the PDF as its attachment. The document is stored once its journal entry exists.
 */
@Service
public class PlanDocuments {

  private static final Logger log = LoggerFactory.getLogger(PlanDocuments.class);

  private final DocumentRepository repository;
  private final Journal journal;
  private final Clock clock;
  private final FhirContext fhir;
  private final MessageValidator validator;
  private final PlanAssembler assembler = new PlanAssembler();
  private final PlanDocumentBuilder builder;
  private final PlanPdf pdf = new PlanPdf();
  private final PlanSides sides;

  public PlanDocuments(
      DocumentRepository repository,
      Journal journal,
      Clock clock,
      FhirContext fhir,
      GatewayProperties properties,
      MessageValidator validator,
      PlanSides sides) {
    this.sides = sides;
    this.validator = validator;
    this.repository = repository;
    this.journal = journal;
    this.clock = clock;
    this.fhir = fhir;
    this.builder =
        new PlanDocumentBuilder(clock, properties.delivery().fullUrlBase(), UUID::randomUUID);
  }

  /** A plan ready to journal: the record to send, and the document to store after journaling. */
  public sealed interface Preparation {
    record Prepared(
        CanonicalRecord record,
        Plan plan,
        PlanDocument document,
        String json,
        ValidationReport report,
        byte[] pdf,
        Predecessor predecessor,
        List<String> versionsSeen)
        implements Preparation {}

    record Refused(List<MappingIssue> issues) implements Preparation {}

    /** The same plan version with the same content was received before: a duplicate submission. */
    record Resubmitted() implements Preparation {}
  }

  /**
   * @param contentHash the submission's content hash: a version received again with the same
   *     content is a duplicate (the journal says so), with other content it is refused
   * @param recordHash the hash of the record as mapped: the same version serialised anew (other
   *     whitespace, key order) is a duplicate too
   */
  public Preparation prepare(
      String source, MappingOutcome.Mapped mapped, String contentHash, String recordHash) {
    PlanAssembler.Result result = assembler.assemble(source, mapped.record(), mapped.plan());
    if (result instanceof PlanAssembler.Result.Refused refused) {
      return new Preparation.Refused(refused.issues());
    }
    Plan plan = ((PlanAssembler.Result.Assembled) result).plan();
    CanonicalRecord.Organisation to = mapped.record().recipient();
    List<MappingIssue> direction =
        CareCourseDirection.check(
            plan.kind(),
            source,
            sides.sender(source),
            to == null || to.sor() == null ? Optional.empty() : sides.recipient(to.sor()));
    if (!direction.isEmpty()) {
      return new Preparation.Refused(direction);
    }
    List<StoredDocument> versions = repository.versions(source, plan.number());
    Optional<StoredDocument> same =
        versions.stream().filter(v -> v.planVersion() == plan.version()).findFirst();
    if (same.isPresent()
        && journal
            .find(same.get().journalId())
            .filter(
                e ->
                    mapped.recordId().equals(e.sourceRecordId())
                        && (contentHash.equals(e.contentHash())
                            || journal.recordHash(e.id()).filter(recordHash::equals).isPresent()))
            .isPresent()) {
      return new Preparation.Resubmitted();
    }
    if (same.isPresent()) {
      return new Preparation.Refused(
          List.of(
              new MappingIssue(
                  "plan.version",
                  null,
                  "plan-version-exists",
                  "this version of the plan was received before with other content; send it as a new version")));
    }
    Optional<MappingIssue> conflict = conflict(plan, mapped.record(), versions);
    if (conflict.isPresent()) {
      return new Preparation.Refused(List.of(conflict.get()));
    }
    Predecessor predecessor = predecessor(versions, plan.version());
    StoredDocument previous = predecessor.replaced();
    PlanDocument document =
        builder.build(plan, previous == null ? null : previous.compositionIdentifier());
    String json = fhir.newJsonParser().encodeResourceToString(document.bundle());
    // A document the gateway cannot vouch for is never stored or sent. The validator's messages may
    // quote values, so only their count is reported to the sender.
    ValidationReport report = validator.validate(ChainDefinition.CARE_PLAN_DOCUMENT, json, "JSON");
    if (!report.valid()) {
      log.warn(
          "plan document invalid kind={} errors={} chain=\"{}\"",
          plan.kind().code(),
          report.errors().size(),
          report.chain());
      return new Preparation.Refused(
          List.of(
              new MappingIssue(
                  "plan",
                  null,
                  "document-invalid",
                  "the care-plan document built from this plan is not valid ("
                      + report.errors().size()
                      + " errors against "
                      + report.chain()
                      + ")")));
    }
    byte[] rendered = pdf.pdf(plan);
    CanonicalRecord.Attachment attachment =
        new CanonicalRecord.Attachment(
            PlanHtml.title(plan) + " version " + plan.version() + ".pdf",
            "application/pdf",
            Base64.getEncoder().encodeToString(rendered),
            OffsetDateTime.now(clock));
    List<CanonicalRecord.Attachment> attachments = new ArrayList<>(mapped.record().attachments());
    attachments.add(0, attachment);
    return new Preparation.Prepared(
        PlanConsent.apply(mapped.record(), plan, attachments),
        plan,
        document,
        json,
        report,
        rendered,
        predecessor,
        versionsSeen(versions));
  }

  /**
   * The version a new one replaces, and the later ones it skips: the newest earlier version that
   * went out, or is still on its way (in the pipeline, or queued for a transport retry). One that
   * stopped without ever being handed to a transport (held for consent or address, failed,
   * quarantined, discarded, expired) is no predecessor: no recipient has it, and should it be
   * released after the new version went out, the delivery guard {@link PlanVersionGuard} stops it.
   * "Replaces" it would leave the version recipients do have current beside the new one.
   */
  public record Predecessor(StoredDocument replaced, List<StoredDocument> neverSent) {

    String note() {
      StringBuilder note = new StringBuilder();
      if (replaced != null) {
        note.append(", replaces document ")
            .append(replaced.id())
            .append(" (version ")
            .append(replaced.planVersion())
            .append(")");
      }
      for (StoredDocument skipped : neverSent) {
        note.append("; version ")
            .append(skipped.planVersion())
            .append(" (document ")
            .append(skipped.id())
            .append(") never went out and is not replaced");
      }
      return note.toString();
    }
  }

  /** Ended for good: nothing sends it any more. */
  private static final Set<MessageState> ENDED =
      EnumSet.of(MessageState.DISCARDED, MessageState.EXPIRED);

  /** Stopped: on its way to no one until a person (or a consent) moves it. */
  private static final Set<MessageState> STOPPED =
      EnumSet.of(
          MessageState.DISCARDED,
          MessageState.EXPIRED,
          MessageState.HELD_CONSENT,
          MessageState.HELD_ADDRESS,
          MessageState.FAILED,
          MessageState.QUARANTINED);

  /**
   * An event in one of these states means a transport had the message (a retry after a time-out may
   * have arrived, a rejection was received): a recipient may have the version. So does a note of
   * the delivery stage after the entry ended: an attempt under way when the administrator discarded
   * it completed all the same (DeliveryBookkeeping: "the recipient may hold this message").
   */
  private static final Set<MessageState> HANDED_OVER =
      EnumSet.of(
          MessageState.SENT,
          MessageState.RETRYING,
          MessageState.ACKNOWLEDGED,
          MessageState.REJECTED);

  private Predecessor predecessor(List<StoredDocument> versions, int version) {
    List<StoredDocument> earlier =
        versions.stream().filter(v -> v.planVersion() < version).toList();
    if (earlier.isEmpty()) {
      return new Predecessor(null, List.of());
    }
    StoredDocument newest = earlier.get(earlier.size() - 1);
    Set<String> neverWentOut = neverWentOut(repository, newest.source(), newest.planNumber());
    List<StoredDocument> skipped = new ArrayList<>();
    StoredDocument replaced = null;
    for (int i = earlier.size() - 1; i >= 0 && replaced == null; i--) {
      StoredDocument candidate = earlier.get(i);
      if (neverWentOut.contains(candidate.id())) {
        skipped.add(0, candidate);
      } else {
        replaced = candidate;
      }
    }
    return new Predecessor(replaced, List.copyOf(skipped));
  }

  /**
   * The ids of the versions of one plan (a source's plan number) that stopped without ever being
   * handed to a transport (see {@link Predecessor}): no recipient has them.
   */
  public static Set<String> neverWentOut(
      DocumentRepository repository, String source, String planNumber) {
    return repository.neverWentOut(
        source, planNumber, names(STOPPED), names(HANDED_OVER), names(ENDED), RouteIds.DELIVER);
  }

  private static List<String> names(Set<MessageState> states) {
    return states.stream().map(Enum::name).toList();
  }

  /**
   * A version is the same plan in a later state: of the same kind, for the same citizen, and newer
   * than every version received so far. Otherwise its Composition would replace another citizen's
   * plan (or another kind of plan) at every recipient, or a version arriving late would reach them
   * after its successor and read as the current plan. The texts name no value (personal data).
   */
  private Optional<MappingIssue> conflict(
      Plan plan, CanonicalRecord record, List<StoredDocument> versions) {
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    if (versions.stream().anyMatch(v -> !plan.kind().code().equals(v.planKind()))) {
      return Optional.of(
          new MappingIssue(
              "plan.kind",
              null,
              "plan-kind-changed",
              "earlier versions of this plan number are another kind of plan;"
                  + " a new kind of plan needs a plan number of its own"));
    }
    String cpr = record.citizen() == null ? null : record.citizen().cpr();
    if (cpr != null
        && journal
            .cprsOf(versions.stream().map(StoredDocument::journalId).toList())
            .values()
            .stream()
            .anyMatch(c -> !c.equals(cpr))) {
      return Optional.of(
          new MappingIssue(
              "plan.number",
              null,
              "plan-citizen-changed",
              "earlier versions of this plan number are another citizen's plan"));
    }
    StoredDocument newest = versions.get(versions.size() - 1);
    if (newest.planVersion() > plan.version()) {
      return Optional.of(
          new MappingIssue(
              "plan.version",
              null,
              "plan-version-superseded",
              "a newer version of this plan ("
                  + newest.planVersion()
                  + ") was received before; this version would reach recipients after it"));
    }
    return Optional.empty();
  }

  private static List<String> versionsSeen(List<StoredDocument> versions) {
    return versions.stream().map(StoredDocument::id).toList();
  }

  /**
   * Another version of the plan was stored between {@link #prepare} and {@link #store}: what was
   * checked and built (its predecessor, its version rules) no longer holds. Thrown inside the
   * transaction that journals the version, so the entry and the document roll back together.
   */
  public static final class VersionsChanged extends RuntimeException {
    VersionsChanged() {
      super("another version of the plan was stored meanwhile", null, false, false);
    }
  }

  /**
   * Stores the document of a freshly journaled plan version, and says so in the journal. Must run
   * in the transaction that journals it: the plan's lock is held from the check that the stored
   * versions are still those {@link #prepare} saw to commit, so two versions at the same instant
   * are stored as if sent one after the other ({@link VersionsChanged} for the one that came
   * second: prepare it again).
   */
  public void store(String journalId, Preparation.Prepared prepared) {
    Plan plan = prepared.plan();
    PlanDocument document = prepared.document();
    repository.lockPlan(plan.source(), plan.number());
    List<StoredDocument> versions = repository.versions(plan.source(), plan.number());
    // A version discarded meanwhile changes the predecessor as much as one stored meanwhile.
    if (!versionsSeen(versions).equals(prepared.versionsSeen())
        || !predecessor(versions, plan.version()).equals(prepared.predecessor())) {
      log.info(
          "plan versions changed while preparing journalId={} kind={} version={}",
          journalId,
          plan.kind().code(),
          plan.version());
      throw new VersionsChanged();
    }
    StoredDocument previous = prepared.predecessor().replaced();
    String replaces = previous == null ? null : previous.id();
    repository.insert(
        new StoredDocument(
            document.id(),
            journalId,
            plan.source(),
            plan.number(),
            plan.kind().code(),
            plan.version(),
            plan.date(),
            document.compositionIdentifier(),
            replaces,
            OffsetDateTime.now(clock),
            plan.endDate()),
        prepared.json(),
        prepared.pdf());
    journal.note(
        journalId,
        MessageState.RECEIVED,
        "documents",
        "care-plan document "
            + document.id()
            + " stored: "
            + plan.kind().code()
            + " version "
            + plan.version()
            + prepared.predecessor().note()
            + "; valid against "
            + prepared.report().chain()
            + " ("
            + prepared.report().warnings().size()
            + " warnings)");
    log.info(
        "plan document stored id={} journalId={} kind={} version={} replaces={}",
        document.id(),
        journalId,
        plan.kind().code(),
        plan.version(),
        replaces);
  }

  public Optional<StoredDocument> find(String id) {
    return repository.find(id);
  }

  public Optional<String> bundleJson(String id) {
    return repository.bundleJson(id);
  }

  public Optional<DocumentRepository.WithContent<String>> withBundle(String id) {
    return repository.withBundle(id);
  }

  public Optional<DocumentRepository.WithContent<byte[]>> withPdf(String id) {
    return repository.withPdf(id);
  }

  /** Every version of the plan the document belongs to, oldest first. */
  public List<StoredDocument> versionsOf(StoredDocument document) {
    return repository.versions(document.source(), document.planNumber());
  }
}
