package dk.sektorbro.gateway.retention;

import dk.sektorbro.gateway.journal.MessageState;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The journal as retention sees it: entries due for pruning, their contents, and the pruning itself. */
@Repository
public class RetentionRepository {

  private final JdbcClient jdbc;

  public RetentionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Entries in this state, unchanged since {@code before}, that still hold content; oldest first. */
  List<String> contentDue(MessageState state, OffsetDateTime before, int limit) {
    return jdbc.sql("""
            SELECT id FROM journal_entry
            WHERE state = :state AND updated_at < :before AND content_pruned_at IS NULL
              AND (payload IS NOT NULL OR canonical_record IS NOT NULL OR fhir_message IS NOT NULL)
            ORDER BY updated_at LIMIT :limit""")
        .param("state", state.name()).param("before", before).param("limit", limit)
        .query(String.class).list();
  }

  /**
   * Entries in this state, unchanged since {@code before}, to delete with their history. Entries a
   * care-plan document refers to stay: the document's own history needs them.
   */
  List<String> historyDue(MessageState state, OffsetDateTime before, int limit) {
    return jdbc.sql("""
            SELECT id FROM journal_entry e
            WHERE state = :state AND updated_at < :before
              AND NOT EXISTS (SELECT 1 FROM plan_document d WHERE d.journal_id = e.id)
              AND NOT EXISTS (SELECT 1 FROM document_delivery d WHERE d.journal_id = e.id)
            ORDER BY updated_at LIMIT :limit""")
        .param("state", state.name()).param("before", before).param("limit", limit)
        .query(String.class).list();
  }

  /** What the archive keeps of each entry: its identity, state and contents (payload in Base64). */
  List<Map<String, Object>> contents(List<String> ids) {
    return jdbc.sql("""
            SELECT id, source, source_record_id, state, received_at, updated_at, message_header_id,
                   recipient_gln, payload, canonical_record, fhir_message
            FROM journal_entry WHERE id IN (:ids) ORDER BY id""")
        .param("ids", ids)
        .query((rs, n) -> {
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
          row.put("payload", payload == null ? null : Base64.getEncoder().encodeToString(payload));
          row.put("canonicalRecord", rs.getString("canonical_record"));
          row.put("fhirMessage", rs.getString("fhir_message"));
          return row;
        })
        .list();
  }

  /** The history of each entry, for the archive written before it is deleted. */
  List<Map<String, Object>> events(List<String> ids) {
    return jdbc.sql("""
            SELECT entry_id, occurred_at, state, stage, reason, detail FROM journal_event
            WHERE entry_id IN (:ids) ORDER BY entry_id, id""")
        .param("ids", ids)
        .query((rs, n) -> {
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
    List<String> still = jdbc.sql("SELECT id FROM journal_entry WHERE id IN (:ids) AND state = :state ORDER BY id")
        .param("ids", ids).param("state", state.name()).query(String.class).list();
    if (still.isEmpty()) {
      return still;
    }
    jdbc.sql("""
            UPDATE journal_entry SET payload = NULL, canonical_record = NULL, fhir_message = NULL,
                   content_pruned_at = :at
            WHERE id IN (:ids)""")
        .param("at", at).param("ids", still).update();
    // The prepared outbound bytes (signed, enveloped) are the same content again; a final entry is
    // not delivered any more, and a resend prepares new ones.
    jdbc.sql("DELETE FROM outbound_message WHERE entry_id IN (:ids)").param("ids", still).update();
    return still;
  }

  void event(String entryId, OffsetDateTime at, MessageState state, String reason, String detail) {
    jdbc.sql("""
            INSERT INTO journal_event (entry_id, occurred_at, state, stage, reason, detail)
            VALUES (:entry, :at, :state, 'retention', :reason, :detail)""")
        .param("entry", entryId).param("at", at).param("state", state.name())
        .param("reason", reason).param("detail", detail)
        .update();
  }

  /** Deletes the entries still in {@code state} with their history and schedule; returns their ids. */
  List<String> deleteHistory(List<String> ids, MessageState state) {
    List<String> still = jdbc.sql("SELECT id FROM journal_entry WHERE id IN (:ids) AND state = :state ORDER BY id")
        .param("ids", ids).param("state", state.name()).query(String.class).list();
    if (still.isEmpty()) {
      return still;
    }
    jdbc.sql("DELETE FROM journal_event WHERE entry_id IN (:ids)").param("ids", still).update();
    // Their delivery work in the work engine (none expected in a final state; kept tidy regardless).
    jdbc.sql("DELETE FROM scheduled_tasks WHERE task_name = 'message-delivery' AND task_instance IN (:ids)")
        .param("ids", still).update();
    jdbc.sql("DELETE FROM outbound_message WHERE entry_id IN (:ids)").param("ids", still).update();
    jdbc.sql("DELETE FROM journal_entry WHERE id IN (:ids)").param("ids", still).update();
    return still;
  }
}
