package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.record.Cpr;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Read-only SQL for the console: the filtered message list and the dashboard's counts. */
@Repository
public class AdminQueries {

  /**
   * A FAILED event that moved the entry to FAILED: the event before it is in another state. Later
   * FAILED events are notes (e.g. a duplicate submission) and are not failures again.
   */
  private static final String ENTERED_FAILED = "ev.state = 'FAILED' AND COALESCE((SELECT p.state FROM journal_event p"
      + " WHERE p.entry_id = ev.entry_id AND p.id < ev.id ORDER BY p.id DESC LIMIT 1), '') <> 'FAILED'";

  private final JdbcClient jdbc;
  private final Clock clock;

  public AdminQueries(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public List<MessageRow> messages(MessageFilter f) {
    Where where = where(f);
    return jdbc.sql("SELECT id, received_at, source, source_record_id, state, state_reason, message_type,"
            + " recipient_sor, recipient_gln, recipient_name, citizen_cpr FROM journal_entry" + where.sql()
            + " ORDER BY received_at DESC, id DESC LIMIT :limit OFFSET :offset")
        .params(where.params())
        .param("limit", f.size())
        .param("offset", (long) f.page() * f.size())
        .query((rs, n) -> new MessageRow(rs.getString("id"), rs.getObject("received_at", OffsetDateTime.class),
            rs.getString("source"), rs.getString("source_record_id"), MessageState.valueOf(rs.getString("state")),
            rs.getString("state_reason"), rs.getString("message_type"), rs.getString("recipient_sor"),
            rs.getString("recipient_gln"), rs.getString("recipient_name"),
            rs.getString("citizen_cpr") == null ? "" : Cpr.mask(rs.getString("citizen_cpr"))))
        .list();
  }

  public long count(MessageFilter f) {
    Where where = where(f);
    return jdbc.sql("SELECT COUNT(*) FROM journal_entry" + where.sql()).params(where.params()).query(Long.class).single();
  }

  /** The entry's citizen CPR, for the detail page (masked unless personal data is opened). */
  public String cprOf(String id) {
    return jdbc.sql("SELECT citizen_cpr FROM journal_entry WHERE id = :id").param("id", id)
        .query((rs, n) -> rs.getString(1)).optional().orElse(null);
  }

  public List<String> sources() {
    return jdbc.sql("SELECT DISTINCT source FROM journal_entry ORDER BY source").query(String.class).list();
  }

  /** Entries received since {@code since}, per state. */
  public Map<MessageState, Long> countsByState(OffsetDateTime since) {
    Map<MessageState, Long> counts = new LinkedHashMap<>();
    for (MessageState s : MessageState.values()) {
      counts.put(s, 0L);
    }
    jdbc.sql("SELECT state, COUNT(*) FROM journal_entry WHERE received_at >= :since GROUP BY state")
        .param("since", since)
        .query((rs, n) -> counts.put(MessageState.valueOf(rs.getString(1)), rs.getLong(2)))
        .list();
    return counts;
  }

  /** History events since {@code since} per stage: how many, and how many of them failures. */
  public List<StageCount> countsByStage(OffsetDateTime since) {
    return jdbc.sql("SELECT ev.stage, COUNT(*) AS total, SUM(CASE WHEN " + ENTERED_FAILED + " THEN 1 ELSE 0 END) AS failed"
            + " FROM journal_event ev WHERE ev.occurred_at >= :since GROUP BY ev.stage ORDER BY ev.stage")
        .param("since", since)
        .query((rs, n) -> new StageCount(rs.getString("stage"), rs.getLong("total"), rs.getLong("failed")))
        .list();
  }

  /** Receipt times of entries since {@code since} (for the hourly chart). */
  public List<OffsetDateTime> receivedTimes(OffsetDateTime since) {
    return jdbc.sql("SELECT received_at FROM journal_entry WHERE received_at >= :since")
        .param("since", since)
        .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
        .list();
  }

  /** Times at which entries failed since {@code since}. */
  public List<OffsetDateTime> failureTimes(OffsetDateTime since) {
    return jdbc.sql("SELECT ev.occurred_at FROM journal_event ev WHERE ev.occurred_at >= :since AND " + ENTERED_FAILED)
        .param("since", since)
        .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
        .list();
  }

  /** Messages now FAILED, grouped by reason, most frequent first. */
  public List<ReasonCount> failuresByReason(int limit) {
    return jdbc.sql("SELECT state_reason, COUNT(*) AS n FROM journal_entry WHERE state = 'FAILED'"
            + " GROUP BY state_reason ORDER BY n DESC LIMIT :limit")
        .param("limit", limit)
        .query((rs, n) -> new ReasonCount(rs.getString(1), rs.getLong(2)))
        .list();
  }

  /** Ids of FAILED entries whose latest failure came from {@code stage} and/or whose reason contains a text. */
  public List<String> failedIds(String stage, String reasonContains, int limit) {
    // RETRYING too: after the fix, its queued retries go now instead of after their back-off.
    StringBuilder sql = new StringBuilder("SELECT e.id FROM journal_entry e WHERE e.state IN ('FAILED', 'RETRYING')");
    Map<String, Object> params = new HashMap<>();
    if (stage != null) {
      // The event that moved it to FAILED: later FAILED events are notes (views, duplicates).
      sql.append(" AND (SELECT ev.stage FROM journal_event ev WHERE ev.entry_id = e.id AND ev.state = e.state"
          + " AND ev.id > COALESCE((SELECT MAX(x.id) FROM journal_event x WHERE x.entry_id = e.id"
          + " AND x.state <> e.state), 0) ORDER BY ev.id LIMIT 1) = :stage");
      params.put("stage", stage);
    }
    if (reasonContains != null) {
      sql.append(" AND LOWER(e.state_reason) LIKE :reason ESCAPE '\\'");
      params.put("reason", like(reasonContains));
    }
    sql.append(" ORDER BY e.received_at LIMIT :limit");
    return jdbc.sql(sql.toString()).params(params).param("limit", limit).query(String.class).list();
  }

  public OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  private Where where(MessageFilter f) {
    List<String> clauses = new ArrayList<>();
    Map<String, Object> params = new HashMap<>();
    if (f.state() != null) {
      clauses.add("state = :state");
      params.put("state", f.state().name());
    }
    if (f.source() != null) {
      clauses.add("source = :source");
      params.put("source", f.source());
    }
    if (f.recipient() != null) {
      clauses.add("(recipient_sor = :recipient OR recipient_gln = :recipient OR LOWER(recipient_name) LIKE :recipientName"
          + " ESCAPE '\\')");
      params.put("recipient", f.recipient());
      params.put("recipientName", like(f.recipient()));
    }
    if (f.messageType() != null) {
      clauses.add("message_type = :type");
      params.put("type", f.messageType());
    }
    if (f.from() != null) {
      clauses.add("received_at >= :from");
      params.put("from", f.from().atStartOfDay(clock.getZone()).toOffsetDateTime());
    }
    if (f.to() != null) {
      clauses.add("received_at < :to");
      params.put("to", f.to().plusDays(1).atStartOfDay(clock.getZone()).toOffsetDateTime());
    }
    if (f.reason() != null) {
      clauses.add("LOWER(state_reason) LIKE :reason ESCAPE '\\'");
      params.put("reason", like(f.reason()));
    }
    if (f.cpr() != null) {
      clauses.add("citizen_cpr = :cpr");
      params.put("cpr", Cpr.normalise(f.cpr()));
    }
    return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), params);
  }

  private static String like(String text) {
    String escaped = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return "%" + escaped + "%";
  }

  private record Where(String sql, Map<String, Object> params) {}

  /** Events of one stage (route or gate) in a window, and how many were failures. */
  public record StageCount(String stage, long total, long failed) {}

  /** How many FAILED messages share one reason. */
  public record ReasonCount(String reason, long count) {}
}
