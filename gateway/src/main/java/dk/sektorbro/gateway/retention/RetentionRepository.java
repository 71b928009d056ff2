package dk.sektorbro.gateway.retention;

import dk.sektorbro.gateway.journal.MessageState;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The journal as retention sees it: entries due for pruning, their contents, and the pruning
 * itself.
 */
@Repository
public class RetentionRepository {

  /**
   * The entries of a batch still in the state the batch was chosen for, their rows locked until the
   * batch commits: an entry that leaves that state meanwhile (an administrator's edit-and-retry
   * sends a REJECTED entry back into the pipeline) is either moved before this (and left out) or
   * after the batch (and then finds what it pruned). Without the lock, the batch's writes, which
   * name the entries by id only, cleared the content of an entry the edit had just sent on.
   */
  private static final String STILL_IN_STATE =
      "SELECT id FROM journal_entry WHERE id IN (:ids) AND state = :state ORDER BY id FOR UPDATE";

  private final JdbcClient jdbc;

  public RetentionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Entries in this state, unchanged since {@code before}, that still hold content; oldest first.
   */
  List<String> contentDue(MessageState state, OffsetDateTime before, int limit) {
    return jdbc.sql(
            """
            SELECT id FROM journal_entry
            WHERE state = :state AND updated_at < :before AND content_pruned_at IS NULL
              AND (payload IS NOT NULL OR canonical_record IS NOT NULL OR fhir_message IS NOT NULL)
            ORDER BY updated_at LIMIT :limit""")
        .param("state", state.name())
        .param("before", before)
        .param("limit", limit)
        .query(String.class)
        .list();
  }

  /**
   * Entries in this state, unchanged since {@code before}, to delete with their history (and their
   * care-plan document). An entry whose document is still waiting to be delivered stays.
   */
  List<String> historyDue(MessageState state, OffsetDateTime before, int limit) {
    return jdbc.sql(
            """
            SELECT id FROM journal_entry e
            WHERE state = :state AND updated_at < :before
              AND NOT EXISTS (SELECT 1 FROM document_delivery d WHERE d.journal_id = e.id AND d.state = 'PENDING')
            ORDER BY updated_at LIMIT :limit""")
        .param("state", state.name())
        .param("before", before)
        .param("limit", limit)
        .query(String.class)
        .list();
  }

  /**
   * The copies of these entries' contents kept elsewhere, for the archive: the CareCommunication as
   * kept for threads, the canonical record an admin edit replaced (audit log), the care-plan
   * document (Bundle and PDF in Base64); keyed by entry id.
   */
  List<Map<String, Object>> copies(List<String> ids) {
    List<Map<String, Object>> copies = new ArrayList<>();
    // A sent message's thread row has no text of its own (V37): the archive gets the entry's
    // message as its text, as it did when the row kept a copy.
    copies.addAll(
        jdbc.sql(
                """
                SELECT t.journal_entry_id, t.message_header_id, COALESCE(t.message, sent.fhir_message)
                FROM thread_message t LEFT JOIN journal_entry sent ON t.message IS NULL
                  AND sent.id = t.journal_entry_id AND sent.message_header_id = t.message_header_id
                WHERE t.journal_entry_id IN (:ids) ORDER BY t.message_header_id""")
            .param("ids", ids)
            .query(
                (rs, n) -> {
                  Map<String, Object> values = new LinkedHashMap<>();
                  values.put("messageHeaderId", rs.getString(2));
                  values.put("message", rs.getString(3));
                  return copy(rs.getString(1), "threadMessage", values);
                })
            .list());
    copies.addAll(
        jdbc.sql(
                "SELECT entry_id, id, previous_canonical FROM admin_audit"
                    + " WHERE entry_id IN (:ids) AND previous_canonical IS NOT NULL ORDER BY id")
            .param("ids", ids)
            .query(
                (rs, n) ->
                    copy(
                        rs.getString(1),
                        "auditPreviousCanonical",
                        Map.of("auditId", rs.getLong(2), "canonicalRecord", rs.getString(3))))
            .list());
    copies.addAll(
        jdbc.sql(
                "SELECT journal_id, id, bundle_json, pdf FROM plan_document"
                    + " WHERE journal_id IN (:ids) AND bundle_json IS NOT NULL ORDER BY id")
            .param("ids", ids)
            .query(
                (rs, n) ->
                    copy(
                        rs.getString(1),
                        "planDocument",
                        Map.of(
                            "documentId",
                            rs.getString(2),
                            "bundle",
                            rs.getString(3),
                            "pdf",
                            Base64.getEncoder().encodeToString(rs.getBytes(4)))))
            .list());
    return copies;
  }

  private static Map<String, Object> copy(String entryId, String kind, Map<String, Object> values) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("entryId", entryId);
    row.put("kind", kind);
    row.putAll(values);
    return row;
  }

  /**
   * Files the gateway kept of these entries (oversize originals, files that could not be
   * journaled).
   */
  Map<String, String> files(List<String> ids) {
    Map<String, String> files = new LinkedHashMap<>();
    jdbc.sql(
            "SELECT id, archive_path FROM journal_entry WHERE id IN (:ids) AND archive_path IS NOT NULL ORDER BY id")
        .param("ids", ids)
        .query((rs, n) -> files.put(rs.getString(1), rs.getString(2)))
        .list();
    return files;
  }

  /** What the archive keeps of each entry: its identity, state and contents (payload in Base64). */
  List<Map<String, Object>> contents(List<String> ids) {
    return jdbc.sql(
            """
            SELECT id, source, source_record_id, state, received_at, updated_at, message_header_id,
                   recipient_gln, payload, canonical_record, fhir_message
            FROM journal_entry WHERE id IN (:ids) ORDER BY id""")
        .param("ids", ids)
        .query(
            (rs, n) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("id", rs.getString("id"));
              row.put("source", rs.getString("source"));
              row.put("sourceRecordId", rs.getString("source_record_id"));
              row.put("state", rs.getString("state"));
              row.put("receivedAt", rs.getObject("received_at", OffsetDateTime.class).toString());
              row.put("updatedAt", rs.getObject("updated_at", OffsetDateTime.class).toString());
              row.put("messageHeaderId", rs.getString("message_header_id"));
              row.put("recipientGln", rs.getString("recipient_gln"));
              byte[] payload = rs.getBytes("payload");
              row.put(
                  "payload", payload == null ? null : Base64.getEncoder().encodeToString(payload));
              row.put("canonicalRecord", rs.getString("canonical_record"));
              row.put("fhirMessage", rs.getString("fhir_message"));
              return row;
            })
        .list();
  }

  /** The history of each entry, for the archive written before it is deleted. */
  List<Map<String, Object>> events(List<String> ids) {
    return jdbc.sql(
            """
            SELECT entry_id, occurred_at, state, stage, reason, detail FROM journal_event
            WHERE entry_id IN (:ids) ORDER BY entry_id, id""")
        .param("ids", ids)
        .query(
            (rs, n) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("entryId", rs.getString("entry_id"));
              row.put("occurredAt", rs.getObject("occurred_at", OffsetDateTime.class).toString());
              row.put("state", rs.getString("state"));
              row.put("stage", rs.getString("stage"));
              row.put("reason", rs.getString("reason"));
              row.put("detail", rs.getString("detail"));
              return row;
            })
        .list();
  }

  /** Clears the contents of those entries still in {@code state}; returns the ids it pruned. */
  List<String> pruneContent(List<String> ids, MessageState state, OffsetDateTime at) {
    List<String> still =
        jdbc.sql(STILL_IN_STATE)
            .param("ids", ids)
            .param("state", state.name())
            .query(String.class)
            .list();
    if (still.isEmpty()) {
      return still;
    }
    jdbc.sql(
            """
            UPDATE journal_entry SET payload = NULL, canonical_record = NULL, fhir_message = NULL,
                   content_pruned_at = :at
            WHERE id IN (:ids)""")
        .param("at", at)
        .param("ids", still)
        .update();
    // The prepared outbound bytes (signed, enveloped) are the same content again; a final entry is
    // not delivered any more, and a resend prepares new ones.
    jdbc.sql("DELETE FROM outbound_message WHERE entry_id IN (:ids)").param("ids", still).update();
    // The same content kept elsewhere: the message as kept for replies and forwards (a reply to it
    // later finds no thread and is refused with that reason), the canonical record an admin edit
    // replaced, the care-plan document (its row stays for the version chain).
    jdbc.sql("DELETE FROM thread_message WHERE journal_entry_id IN (:ids)")
        .param("ids", still)
        .update();
    jdbc.sql("UPDATE admin_audit SET previous_canonical = NULL WHERE entry_id IN (:ids)")
        .param("ids", still)
        .update();
    jdbc.sql(
            "UPDATE plan_document SET bundle_json = NULL, pdf = NULL, content_pruned_at = :at WHERE journal_id IN (:ids)")
        .param("at", at)
        .param("ids", still)
        .update();
    return still;
  }

  void event(String entryId, OffsetDateTime at, MessageState state, String reason, String detail) {
    jdbc.sql(
            """
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
            VALUES (:entry, :at, :state, 'retention', :reason, :detail)""")
        .param("entry", entryId)
        .param("at", at)
        .param("state", state.name())
        .param("reason", reason)
        .param("detail", detail)
        .update();
  }

  /**
   * Deletes the entries still in {@code state} with their history and schedule; returns their ids.
   */
  List<String> deleteHistory(List<String> ids, MessageState state) {
    List<String> still =
        jdbc.sql(STILL_IN_STATE)
            .param("ids", ids)
            .param("state", state.name())
            .query(String.class)
            .list();
    if (still.isEmpty()) {
      return still;
    }
    jdbc.sql("DELETE FROM journal_event WHERE entry_id IN (:ids)").param("ids", still).update();
    // Their delivery work in the work engine (none expected in a final state; kept tidy
    // regardless).
    jdbc.sql(
            "DELETE FROM scheduled_tasks WHERE task_name = 'message-delivery' AND task_instance IN (:ids)")
        .param("ids", still)
        .update();
    jdbc.sql("DELETE FROM outbound_message WHERE entry_id IN (:ids)").param("ids", still).update();
    jdbc.sql("DELETE FROM thread_message WHERE journal_entry_id IN (:ids)")
        .param("ids", still)
        .update();
    jdbc.sql("DELETE FROM document_delivery WHERE journal_id IN (:ids)")
        .param("ids", still)
        .update();
    // A later version that replaced a deleted one keeps its own row; only the link goes.
    jdbc.sql(
            """
            UPDATE plan_document SET replaces_id = NULL
            WHERE replaces_id IN (SELECT id FROM plan_document WHERE journal_id IN (:ids))""")
        .param("ids", still)
        .update();
    jdbc.sql("DELETE FROM plan_document WHERE journal_id IN (:ids)").param("ids", still).update();
    jdbc.sql("DELETE FROM journal_entry WHERE id IN (:ids)").param("ids", still).update();
    return still;
  }

  // Messages received from other organisations (inbound_message, and the CareCommunications among
  // them kept for threads): not journal entries, so they have their own rule.

  /** Received CareCommunications kept for threads since before {@code before}; oldest first. */
  List<Map<String, Object>> receivedThreadMessagesDue(OffsetDateTime before, int limit) {
    return jdbc.sql(
            """
            SELECT message_header_id, thread_id, recorded_at, message FROM thread_message
            WHERE direction = 'RECEIVED' AND recorded_at < :before ORDER BY recorded_at LIMIT :limit""")
        .param("before", before)
        .param("limit", limit)
        .query(
            (rs, n) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("messageHeaderId", rs.getString(1));
              row.put("threadId", rs.getString(2));
              row.put("recordedAt", rs.getObject(3, OffsetDateTime.class).toString());
              row.put("message", rs.getString(4));
              return row;
            })
        .list();
  }

  int deleteReceivedThreadMessages(List<String> messageHeaderIds) {
    return jdbc.sql(
            "DELETE FROM thread_message WHERE direction = 'RECEIVED' AND message_header_id IN (:ids)")
        .param("ids", messageHeaderIds)
        .update();
  }

  /**
   * Received messages (their acknowledgement and hand-over record) from before {@code before}; a
   * message KEPT for a consent is never among them.
   */
  List<Map<String, Object>> inboundDue(OffsetDateTime before, int limit) {
    return jdbc.sql(
            """
            SELECT id, received_at, message_header_id, sender_gln, receiver_gln, response_code, handover_status,
                   ack_message
            FROM inbound_message
            WHERE received_at < :before AND (handover_status IS NULL OR handover_status <> 'KEPT')
            ORDER BY received_at LIMIT :limit""")
        .param("before", before)
        .param("limit", limit)
        .query(
            (rs, n) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("id", rs.getString("id"));
              row.put("receivedAt", rs.getObject("received_at", OffsetDateTime.class).toString());
              row.put("messageHeaderId", rs.getString("message_header_id"));
              row.put("senderGln", rs.getString("sender_gln"));
              row.put("receiverGln", rs.getString("receiver_gln"));
              row.put("responseCode", rs.getString("response_code"));
              row.put("handoverStatus", rs.getString("handover_status"));
              row.put("ackMessage", rs.getString("ack_message"));
              return row;
            })
        .list();
  }

  int deleteInbound(List<String> ids) {
    return jdbc.sql(
            "DELETE FROM inbound_message WHERE id IN (:ids) AND (handover_status IS NULL OR handover_status <> 'KEPT')")
        .param("ids", ids)
        .update();
  }

  /** Audit records older than {@code before}, oldest first, whole (for the archive). */
  List<Map<String, Object>> auditDue(OffsetDateTime before, int limit) {
    return jdbc.sql(
            """
            SELECT id, occurred_at, actor, action, entry_id, target, reason, detail, previous_canonical,
                   citizen_cpr
            FROM admin_audit WHERE occurred_at < :before ORDER BY id LIMIT :limit""")
        .param("before", before)
        .param("limit", limit)
        .query(
            (rs, n) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("id", rs.getLong("id"));
              row.put("occurredAt", rs.getObject("occurred_at", OffsetDateTime.class).toString());
              row.put("actor", rs.getString("actor"));
              row.put("action", rs.getString("action"));
              row.put("entryId", rs.getString("entry_id"));
              row.put("target", rs.getString("target"));
              row.put("reason", rs.getString("reason"));
              row.put("detail", rs.getString("detail"));
              row.put("previousCanonical", rs.getString("previous_canonical"));
              row.put("citizenCpr", rs.getString("citizen_cpr"));
              return row;
            })
        .list();
  }

  int deleteAudit(List<Long> ids) {
    return jdbc.sql("DELETE FROM admin_audit WHERE id IN (:ids)").param("ids", ids).update();
  }
}
