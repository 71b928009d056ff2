package dk.sektorbro.gateway.careplan;

import dk.sektorbro.gateway.platform.ExecutionFence;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The document_delivery table (V7__document_delivery.sql): each care-plan document queued for a
 * FHIR endpoint and the outcome of its delivery. The retries themselves are the work engine's
 * ({@link DocumentDeliveries}); due_at only shows when the next attempt is planned.
 */
@Repository
public class DocumentDeliveryRepository {

  /** PENDING is due at {@code dueAt}; the others are final. */
  public enum State {
    PENDING,
    DELIVERED,
    FAILED,
    CANCELLED
  }

  public record Row(
      String documentId,
      String journalId,
      String recipientGln,
      State state,
      OffsetDateTime dueAt,
      int attempts,
      String lastError,
      String location,
      OffsetDateTime queuedAt,
      OffsetDateTime updatedAt) {}

  private final JdbcClient jdbc;

  public DocumentDeliveryRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Queues a document once: false when it was queued before (a resend of the carrying message). */
  public boolean queue(String documentId, String journalId, String gln, OffsetDateTime now) {
    if (find(documentId).isPresent()) {
      return false;
    }
    jdbc.sql(
            "INSERT INTO document_delivery (document_id, journal_id, recipient_gln, state, due_at, attempts, "
                + "queued_at, updated_at) VALUES (?, ?, ?, 'PENDING', ?, 0, ?, ?)")
        .params(documentId, journalId, gln, now, now, now)
        .update();
    return true;
  }

  /**
   * True while the document's execution still carries {@code version}, the token of this node's run
   * ({@link ExecutionFence}): false once another node revived and took it.
   */
  public boolean executionHolds(String documentId, long version) {
    return ExecutionFence.held(jdbc, DocumentDeliveries.TASK, documentId, version);
  }

  public Optional<Row> find(String documentId) {
    return jdbc.sql("SELECT * FROM document_delivery WHERE document_id = ?")
        .param(documentId)
        .query(DocumentDeliveryRepository::row)
        .optional();
  }

  public List<Row> inState(State state, int limit) {
    return jdbc.sql(
            "SELECT * FROM document_delivery WHERE state = ? ORDER BY updated_at DESC LIMIT ?")
        .params(state.name(), limit)
        .query(DocumentDeliveryRepository::row)
        .list();
  }

  public long count(State state) {
    return jdbc.sql("SELECT COUNT(*) FROM document_delivery WHERE state = ?")
        .param(state.name())
        .query(Long.class)
        .single();
  }

  /**
   * Records an attempt's outcome: the new state, the next due time (PENDING only) and the error.
   */
  public void update(
      String documentId,
      State state,
      OffsetDateTime dueAt,
      int attempts,
      String error,
      String location,
      OffsetDateTime now) {
    jdbc.sql(
            "UPDATE document_delivery SET state = ?, due_at = ?, attempts = ?, last_error = ?, location = ?, "
                + "updated_at = ? WHERE document_id = ?")
        .params(state.name(), dueAt, attempts, error, location, now, documentId)
        .update();
  }

  private static Row row(ResultSet rs, int n) throws SQLException {
    return new Row(
        rs.getString("document_id"),
        rs.getString("journal_id"),
        rs.getString("recipient_gln"),
        State.valueOf(rs.getString("state")),
        rs.getObject("due_at", OffsetDateTime.class),
        rs.getInt("attempts"),
        rs.getString("last_error"),
        rs.getString("location"),
        rs.getObject("queued_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class));
  }
}
