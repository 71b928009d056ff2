package dk.sektorbro.gateway.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL over delivery_schedule (V4__delivery.sql). */
@Repository
public class DeliveryScheduleRepository {

  private final JdbcClient jdbc;

  public DeliveryScheduleRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<ScheduleRow> find(String entryId) {
    return jdbc.sql("SELECT * FROM delivery_schedule WHERE entry_id = :id")
        .param("id", entryId)
        .query((rs, n) -> row(rs))
        .optional();
  }

  /** Inserts or replaces the row of the row's entry (portable: update first, insert when absent). */
  public void save(ScheduleRow row, OffsetDateTime now) {
    int updated = jdbc.sql("""
            UPDATE delivery_schedule SET purpose = :purpose, due_at = :due, recipient_gln = :gln,
              attempts = :attempts, resends = :resends, last_error = :error, updated_at = :now
            WHERE entry_id = :id""")
        .params(params(row, now))
        .update();
    if (updated == 0) {
      jdbc.sql("""
              INSERT INTO delivery_schedule (entry_id, purpose, due_at, recipient_gln, attempts, resends,
                last_error, updated_at)
              VALUES (:id, :purpose, :due, :gln, :attempts, :resends, :error, :now)""")
          .params(params(row, now))
          .update();
    }
  }

  public void delete(String entryId) {
    jdbc.sql("DELETE FROM delivery_schedule WHERE entry_id = :id").param("id", entryId).update();
  }

  public List<ScheduleRow> due(OffsetDateTime now, int limit) {
    return jdbc.sql("SELECT * FROM delivery_schedule WHERE due_at <= :now ORDER BY due_at LIMIT :limit")
        .param("now", now)
        .param("limit", limit)
        .query((rs, n) -> row(rs))
        .list();
  }

  /** Rows of recipients with at least {@code minAttempts} failed attempts in a row, worst first. */
  public List<ScheduleRow> failing(int minAttempts) {
    return jdbc.sql("SELECT * FROM delivery_schedule WHERE purpose = 'SEND' AND attempts >= :min"
            + " ORDER BY attempts DESC, due_at")
        .param("min", minAttempts)
        .query((rs, n) -> row(rs))
        .list();
  }

  public long count(ScheduleRow.Purpose purpose) {
    return jdbc.sql("SELECT COUNT(*) FROM delivery_schedule WHERE purpose = :purpose")
        .param("purpose", purpose.name())
        .query(Long.class)
        .single();
  }

  private static java.util.Map<String, Object> params(ScheduleRow row, OffsetDateTime now) {
    java.util.Map<String, Object> p = new java.util.HashMap<>();
    p.put("id", row.entryId());
    p.put("purpose", row.purpose().name());
    p.put("due", row.dueAt());
    p.put("gln", row.recipientGln());
    p.put("attempts", row.attempts());
    p.put("resends", row.resends());
    p.put("error", row.lastError());
    p.put("now", now);
    return p;
  }

  private static ScheduleRow row(ResultSet rs) throws SQLException {
    return new ScheduleRow(rs.getString("entry_id"), ScheduleRow.Purpose.valueOf(rs.getString("purpose")),
        rs.getObject("due_at", OffsetDateTime.class), rs.getString("recipient_gln"), rs.getInt("attempts"),
        rs.getInt("resends"), rs.getString("last_error"));
  }
}
