package dk.sektorbro.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.careplan.DocumentDeliveries;
import dk.sektorbro.gateway.careplan.DocumentDeliveryRepository;
import dk.sektorbro.gateway.careplan.DocumentRepository;
import dk.sektorbro.gateway.careplan.PlanHtml;
import dk.sektorbro.gateway.consent.LegalBasis;
import dk.sektorbro.gateway.consent.LegalBasisRule;
import dk.sektorbro.gateway.consent.Purpose;
import dk.sektorbro.gateway.delivery.DeliveryBookkeeping;
import dk.sektorbro.gateway.delivery.ReleasePoint;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.mapping.FieldLimits;
import dk.sektorbro.gateway.mapping.TextRules;
import dk.sektorbro.gateway.pipeline.PipelineDispatcher;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the console and the admin API can do to messages. Each action is one transaction: the
 * journal change, its history event (stage {@value #STAGE}) and the audit record; the pipeline is
 * handed the id only after that commits. Who may do what is decided by the security chains.
 */
@Service
public class AdminActions {

  public static final String STAGE = "admin";
  static final int BULK_LIMIT = 1000;

  /** Canonical fields an administrator may change, as JSON paths into the record. */
  public static final List<String> EDITABLE_FIELDS =
      List.of(
          "recipient.sor",
          "recipient.gln",
          "recipient.name",
          "category",
          "topic",
          "priority",
          "text");

  /** Fields whose values are organisational, not personal: their new values go into the history. */
  private static final List<String> VALUES_IN_HISTORY =
      List.of("recipient.sor", "recipient.gln", "recipient.name");

  private static final Logger log = LoggerFactory.getLogger(AdminActions.class);
  private static final List<MessageState> HELD =
      List.of(MessageState.HELD_CONSENT, MessageState.HELD_ADDRESS);

  /**
   * REJECTED too (the recipient refused this content, so only a changed message may go again), and
   * RETRYING (queued for a transport that keeps failing: perhaps the wrong recipient).
   */
  private static final List<MessageState> EDITABLE =
      List.of(
          MessageState.FAILED,
          MessageState.HELD_CONSENT,
          MessageState.HELD_ADDRESS,
          MessageState.REJECTED,
          MessageState.RETRYING,
          MessageState.QUARANTINED,
          // Still in the pipeline: a record that must not go (or not as it is) can be stopped
          // before it does.
          MessageState.RECEIVED,
          MessageState.TRANSLATED,
          MessageState.VALIDATED);

  private static final String BULK_PREFIX = "bulk retry: ";

  /**
   * Set aside by the gateway: a retry sends them back where they stopped. (RETRYING, still queued
   * for its transport, is retried now instead: listed so that a refusal names every state a retry
   * accepts.)
   */
  private static final List<MessageState> RETRIABLE =
      List.of(MessageState.FAILED, MessageState.QUARANTINED, MessageState.RETRYING);

  private final Journal journal;
  private final AuditLog audit;
  private final AdminQueries queries;
  private final PipelineDispatcher dispatcher;
  private final TransactionTemplate tx;
  private final ObjectMapper json;
  private final DeliveryBookkeeping delivery;
  private final DocumentDeliveries documentDeliveries;
  private final ReleasePoint releasePoint;
  private final DocumentRepository documents;

  public AdminActions(
      Journal journal,
      AuditLog audit,
      AdminQueries queries,
      PipelineDispatcher dispatcher,
      TransactionTemplate tx,
      ObjectMapper json,
      DeliveryBookkeeping delivery,
      DocumentDeliveries documentDeliveries,
      ReleasePoint releasePoint,
      DocumentRepository documents) {
    this.releasePoint = releasePoint;
    this.documents = documents;
    this.delivery = delivery;
    this.documentDeliveries = documentDeliveries;
    this.journal = journal;
    this.audit = audit;
    this.queries = queries;
    this.dispatcher = dispatcher;
    this.tx = tx;
    this.json = json;
  }

  /**
   * A FAILED or QUARANTINED message goes back to the stage where it stopped (see {@link
   * RetryPoint}). A RETRYING message (its transport failing, still queued) is tried again now
   * rather than after its back-off: what the admin does after fixing the postbox folder or the
   * endpoint.
   */
  public MessageState retry(String actor, String id, String comment) {
    String why = required(comment, "comment");
    JournalEntry current = entry(id);
    if (current.state() == MessageState.RETRYING) {
      return retryNow(actor, id, why);
    }
    MessageState to = retryPointOf(current);
    tx.executeWithoutResult(
        s -> {
          move(id, List.of(current.state()), to, "retry by " + actor + ": " + why, null);
          audit.record(actor, AuditAction.RETRY, id, null, why, current.state() + " -> " + to);
        });
    dispatcher.resume(id, to);
    log.info("admin retry id={} actor={} resumeAt={}", id, actor, to);
    return to;
  }

  /** A FAILED or CANCELLED care-plan document delivery is due again now (guards rechecked then). */
  public void retryDocumentDelivery(String actor, String documentId, String comment) {
    String why = required(comment, "comment");
    tx.executeWithoutResult(
        s -> {
          DocumentDeliveryRepository.Row row =
              documentDeliveries
                  .requeue(documentId)
                  .orElseThrow(
                      () ->
                          ActionRefused.conflict(
                              "admin.document-delivery.not-retriable", documentId));
          journal
              .find(row.journalId())
              .ifPresent(
                  entry ->
                      journal.note(
                          entry.id(),
                          entry.state(),
                          STAGE,
                          truncate(
                              "care-plan document "
                                  + documentId
                                  + " delivery retried by "
                                  + actor
                                  + ": "
                                  + why),
                          null));
          audit.record(
              actor,
              AuditAction.RETRY_DOCUMENT_DELIVERY,
              row.journalId(),
              documentId,
              why,
              row.state() + " -> PENDING");
        });
    log.info("admin document delivery retry documentId={} actor={}", documentId, actor);
  }

  private MessageState retryNow(String actor, String id, String why) {
    tx.executeWithoutResult(
        s -> {
          if (!delivery.retryNow(id)) {
            throw ActionRefused.conflict("admin.retry.not-pending");
          }
          journal.note(
              id,
              MessageState.RETRYING,
              STAGE,
              truncate("retry now by " + actor + ": " + why),
              null);
          audit.record(actor, AuditAction.RETRY, id, null, why, "RETRYING -> retry now");
        });
    log.info("admin retry now id={} actor={}", id, actor);
    return MessageState.RETRYING;
  }

  /**
   * A SENT message is delivered again, the same MedCom message (same MessageHeader id), guards
   * rechecked.
   */
  public void resend(String actor, String id, String comment) {
    String why = required(comment, "comment");
    requireState(entry(id), List.of(MessageState.SENT), "resend");
    tx.executeWithoutResult(
        s -> {
          move(
              id,
              List.of(MessageState.SENT),
              MessageState.VALIDATED,
              "resend by " + actor + ": " + why,
              null);
          audit.record(actor, AuditAction.RESEND, id, null, why, "SENT -> VALIDATED");
        });
    dispatcher.resume(id, MessageState.VALIDATED);
    log.info("admin resend id={} actor={}", id, actor);
  }

  /**
   * Changes canonical fields of a failed or held message and sends it through the gates again. The
   * original payload is never touched; the canonical record before the edit is kept in the audit
   * log.
   */
  public void editAndRetry(String actor, String id, Map<String, String> changes, String comment) {
    String why = required(comment, "comment");
    JournalEntry entry = entry(id);
    requireState(entry, EDITABLE, "edit-and-retry");
    if (entry.canonicalRecord() == null) {
      throw ActionRefused.conflict("admin.edit.no-canonical-record");
    }
    Map<String, String> applied = new LinkedHashMap<>();
    changes.forEach(
        (field, value) -> {
          if (!EDITABLE_FIELDS.contains(field)) {
            throw ActionRefused.invalid("admin.edit.field", field, String.valueOf(EDITABLE_FIELDS));
          }
          if (value != null && !value.isBlank()) {
            String normalised = TextRules.normalise(value).strip();
            int limit = FieldLimits.byName(field);
            if (normalised.length() > limit) {
              throw ActionRefused.invalid(
                  "admin.edit.too-long",
                  field,
                  String.valueOf(normalised.length()),
                  String.valueOf(limit));
            }
            TextRules.problem(normalised)
                .ifPresent(
                    problem -> {
                      throw ActionRefused.invalid("admin.edit.value", field, problem);
                    });
            applied.put(field, normalised);
          }
        });
    if (applied.isEmpty()) {
      throw ActionRefused.invalid("admin.edit.no-change");
    }
    if (applied.containsKey("text") && documents.findByJournalId(id).isPresent()) {
      // A plan version's letter opens with the plan's header and warnings ("not approved by the
      // citizen"): the edit replaces the text after them, never them.
      applied.put("text", PlanHtml.withText(text(entry.canonicalRecord()), applied.get("text")));
    }
    if (HELD.contains(entry.state())
        && !changesRecipient(entry, applied)
        && releasePoint.mayHaveLeft(entry)) {
      // An edited copy would be a new MedCom message to a recipient that may hold the first one.
      throw ActionRefused.conflict("admin.edit.may-have-left", entry.messageHeaderId());
    }
    String edited = edit(entry.canonicalRecord(), applied);
    String what = describe(applied);
    tx.executeWithoutResult(
        s -> {
          move(
              id,
              List.of(entry.state()),
              MessageState.RECEIVED,
              "edit-and-retry by " + actor + ": " + why,
              what);
          journal.replaceCanonical(id, edited, STAGE, "canonical record edited by " + actor, what);
          // The edit makes a new MedCom message (translated afresh, perhaps for another recipient):
          // its delivery starts at attempt 1, not where the replaced message's transport retries
          // were (their count, back-off and recipient). An attempt of the replaced one under way
          // keeps its row (it is picked) and ends without moving the new message.
          delivery.forget(id);
          audit.record(
              actor, AuditAction.EDIT_AND_RETRY, id, null, why, what, entry.canonicalRecord());
        });
    dispatcher.resume(id, MessageState.RECEIVED);
    log.info("admin edit-and-retry id={} actor={} fields={}", id, actor, applied.keySet());
  }

  /**
   * Ends any message not yet delivered or finished without delivery (DISCARDED), RECEIVED included.
   */
  public void discard(String actor, String id, String reason) {
    String why = required(reason, "reason");
    requireState(entry(id), EDITABLE, "discard");
    tx.executeWithoutResult(
        s -> {
          move(id, EDITABLE, MessageState.DISCARDED, "discarded by " + actor + ": " + why, null);
          // Nothing more to deliver: a RETRYING message's queued retry no longer counts on the
          // dashboard's failing recipients.
          delivery.forget(id);
          audit.record(actor, AuditAction.DISCARD, id, null, why, null);
        });
    log.info("admin discard id={} actor={}", id, actor);
  }

  /**
   * Releases a held message. A consent hold needs the legal basis that allows disclosure without
   * consent: it is written into the record, and the same rule table still decides whether it holds
   * (e.g. acute danger needs the justification). An address hold is looked at again. A message held
   * at the gates goes through them again; one stopped right before the postbox write goes to
   * delivery as the same message (see {@link ReleasePoint}). Returns the state it was released to.
   */
  public MessageState release(
      String actor, String id, ConsentRelease consent, String justification) {
    String why = required(justification, "justification");
    JournalEntry entry = entry(id);
    requireState(entry, HELD, "release");
    String canonical = entry.canonicalRecord();
    String what = null;
    if (entry.state() == MessageState.HELD_CONSENT) {
      refuseConsentOnlyPlan(id);
      String code = required(consent.legalBasis(), "legalBasis");
      if (Arrays.stream(LegalBasis.values()).noneMatch(b -> b.code().equals(code))) {
        throw ActionRefused.invalid(
            "admin.release.legal-basis",
            String.valueOf(Arrays.stream(LegalBasis.values()).map(LegalBasis::code).toList()));
      }
      String purpose = blankToNull(consent.purpose());
      if (purpose != null
          && Arrays.stream(Purpose.values()).noneMatch(p -> p.code().equals(purpose))) {
        throw ActionRefused.invalid(
            "admin.release.purpose",
            String.valueOf(Arrays.stream(Purpose.values()).map(Purpose::code).toList()));
      }
      String plan = blankToNull(consent.planReference());
      canonical = withLegalBasis(canonical, code, why, purpose, plan);
      what =
          "legal basis "
              + code
              + (purpose == null ? "" : ", purpose " + purpose)
              + (plan == null ? "" : ", plan " + plan);
    }
    // Stopped before delivery (a first delivery or a resend): the same MedCom message goes to
    // delivery again, where the guards decide (the consent recheck with this legal basis, the same
    // rule table). Held at the gates: through the gates again.
    MessageState to =
        entry.state() == MessageState.HELD_CONSENT
            ? releasePoint.afterConsentHold(entry)
            : releasePoint.afterAddressHold(entry);
    String recorded = canonical;
    String detail = what;
    String how =
        to == MessageState.VALIDATED
            ? "; the same message (MessageHeader "
                + entry.messageHeaderId()
                + ") goes to delivery, guards decide again"
            : "";
    tx.executeWithoutResult(
        s -> {
          move(id, List.of(entry.state()), to, "released by " + actor + ": " + why + how, detail);
          if (detail != null) {
            journal.replaceCanonical(
                id, recorded, to, STAGE, "legal basis recorded by " + actor, detail);
          }
          audit.record(actor, AuditAction.RELEASE, id, null, why, detail);
        });
    dispatcher.resume(id, to);
    log.info("admin release id={} actor={} from={} to={}", id, actor, entry.state(), to);
    return to;
  }

  /**
   * A KIP goes out on the citizen's consent only (LegalBasisRule.CONSENT_ONLY_PLANS): the consent
   * gate would hold it again under any legal basis, so a release would answer success for nothing.
   * Registering the consent releases it; nothing an administrator states does.
   */
  private void refuseConsentOnlyPlan(String id) {
    documents
        .findByJournalId(id)
        .map(DocumentRepository.StoredDocument::planKind)
        .filter(LegalBasisRule.CONSENT_ONLY_PLANS::contains)
        .ifPresent(
            kind -> {
              throw ActionRefused.conflict("admin.release.consent-only-plan", kind);
            });
  }

  private boolean changesRecipient(JournalEntry entry, Map<String, String> applied) {
    return (applied.containsKey("recipient.sor")
            && !applied.get("recipient.sor").equals(entry.recipientSor()))
        || (applied.containsKey("recipient.gln")
            && !applied.get("recipient.gln").equals(entry.recipientGln()));
  }

  /**
   * Retries the failed messages of one stage and/or with a reason containing a text, oldest first.
   */
  public BulkResult retryFailed(String actor, String stage, String reasonContains, String comment) {
    String why = required(comment, "comment");
    // Each message's retry carries the comment with this prefix: it must fit there too.
    required(BULK_PREFIX + why, "comment");
    List<String> ids =
        queries.failedIds(blankToNull(stage), blankToNull(reasonContains), BULK_LIMIT);
    List<String> retried = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String id : ids) {
      try {
        retry(actor, id, BULK_PREFIX + why);
        retried.add(id);
      } catch (ActionRefused e) {
        skipped.add(id);
      }
    }
    String target =
        "stage="
            + (stage == null ? "*" : stage)
            + " reason~"
            + (reasonContains == null ? "*" : reasonContains);
    audit.record(
        actor,
        AuditAction.BULK_RETRY,
        null,
        target.length() > 300 ? target.substring(0, 300) : target,
        why,
        "retried " + retried.size() + ", skipped " + skipped.size());
    return new BulkResult(retried, skipped);
  }

  /**
   * Records that a user opened the message's personal data in full. In the audit log only (shown on
   * the message's page): a view changes nothing, and the journal history stays the message's path.
   */
  public void viewedPersonalData(String actor, String id, String channel) {
    entry(id);
    audit.record(actor, AuditAction.VIEW_PERSONAL_DATA, id, null, "opened via " + channel, null);
  }

  /**
   * What an admin states to release a consent hold: the legal basis, and where the record lacks
   * them, the purpose and the §13a/§13b plan number. The consent gate checks them like a record's.
   */
  public record ConsentRelease(String legalBasis, String purpose, String planReference) {}

  /**
   * Outcome of a bulk retry: the ids retried and those that could not be (e.g. refused at intake).
   */
  public record BulkResult(List<String> retried, List<String> skipped) {}

  private MessageState retryPointOf(JournalEntry entry) {
    requireState(entry, RETRIABLE, "retry");
    MessageState to = RetryPoint.of(journal.history(entry.id())).orElse(MessageState.RECEIVED);
    if (to == MessageState.RECEIVED && entry.canonicalRecord() == null) {
      throw ActionRefused.conflict("admin.retry.no-canonical-record");
    }
    return to;
  }

  private void move(
      String id, List<MessageState> from, MessageState to, String reason, String detail) {
    if (!journal.transition(id, from, to, STAGE, truncate(reason), detail)) {
      throw ActionRefused.conflict("admin.state-changed");
    }
  }

  private JournalEntry entry(String id) {
    return journal.find(id).orElseThrow(() -> ActionRefused.notFound("messages.not-found", id));
  }

  private static void requireState(JournalEntry entry, List<MessageState> allowed, String action) {
    if (!allowed.contains(entry.state())) {
      throw ActionRefused.conflict(
          "admin.state", action, String.valueOf(allowed), String.valueOf(entry.state()));
    }
  }

  private static String required(String value, String name) {
    return AuditLog.reason(value, name);
  }

  private String text(String canonical) {
    try {
      return json.readTree(canonical).path("text").asText(null);
    } catch (JsonProcessingException e) {
      throw ActionRefused.conflict("admin.canonical-record.unreadable");
    }
  }

  private String edit(String canonical, Map<String, String> changes) {
    try {
      ObjectNode root = (ObjectNode) json.readTree(canonical);
      changes.forEach(
          (path, value) -> {
            String[] parts = path.split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
              node =
                  node.get(parts[i]) instanceof ObjectNode child ? child : node.putObject(parts[i]);
            }
            node.put(parts[parts.length - 1], value);
          });
      String edited = json.writeValueAsString(root);
      json.readValue(edited, CanonicalRecord.class); // still a record the pipeline can read
      return edited;
    } catch (JsonProcessingException | ClassCastException e) {
      throw ActionRefused.conflict("admin.canonical-record.unreadable");
    }
  }

  private String withLegalBasis(
      String canonical, String code, String justification, String purpose, String plan) {
    try {
      ObjectNode root = (ObjectNode) json.readTree(canonical);
      root.put("legalBasis", code);
      root.put("legalBasisJustification", justification);
      if (purpose != null) {
        root.put("purpose", purpose);
      }
      if (plan != null) {
        root.put("planReference", plan);
      }
      return json.writeValueAsString(root);
    } catch (JsonProcessingException | ClassCastException e) {
      throw ActionRefused.conflict("admin.canonical-record.unreadable");
    }
  }

  private static String describe(Map<String, String> applied) {
    List<String> parts = new ArrayList<>();
    applied.forEach(
        (field, value) ->
            parts.add(
                VALUES_IN_HISTORY.contains(field) ? field + "=" + value : field + " (changed)"));
    return "changed " + String.join(", ", parts);
  }

  private static String truncate(String text) {
    return text.length() > 3900 ? text.substring(0, 3900) + "…" : text;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
