package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.record.Cpr;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Read-only views for the console: the message list (through the journal's one query API) and the
 * dashboard's counts.
 */
@Repository
public class AdminQueries {

  /**
   * A FAILED event that moved the entry to FAILED: the event before it is in another state. Later
   * FAILED events are notes (e.g. a duplicate submission) and are not failures again.
   */
  private static final String ENTERED_FAILED =
      "ev.state = 'FAILED' AND COALESCE((SELECT p.state FROM journal_event p"
          + " WHERE p.entry_id = ev.entry_id AND p.id < ev.id ORDER BY p.id DESC LIMIT 1), '') <> 'FAILED'";

  private final JdbcClient jdbc;
  private final Journal journal;
  private final Clock clock;

  public AdminQueries(JdbcClient jdbc, Journal journal, Clock clock) {
    this.jdbc = jdbc;
    this.journal = journal;
    this.clock = clock;
  }

  /** A page of the message list, the CPR numbers masked. */
  public List<MessageRow> messages(JournalQuery query) {
    List<JournalEntry> entries = journal.search(query);
    Map<String, String> cprs = journal.cprsOf(entries.stream().map(JournalEntry::id).toList());
    return entries.stream()
        .map(
            e ->
                new MessageRow(
                    e.id(),
                    e.receivedAt(),
                    e.source(),
                    Cpr.maskWithin(e.sourceRecordId()),
                    e.state(),
                    Cpr.maskWithin(e.stateReason()),
                    e.messageType(),
                    e.recipientSor(),
                    e.recipientGln(),
                    e.recipientName(),
                    cprs.containsKey(e.id()) ? Cpr.mask(cprs.get(e.id())) : ""))
        .toList();
  }

  public long count(JournalQuery query) {
    return journal.count(query);
  }

  /** Where the console's days begin and end. */
  public ZoneId zone() {
    return clock.getZone();
  }

  /** The entry's citizen CPR, for the detail page (masked unless personal data is opened). */
  public String cprOf(String id) {
    return jdbc.sql("SELECT citizen_cpr FROM journal_entry WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> rs.getString(1))
        .optional()
        .orElse(null);
  }

  public List<String> sources() {
    return jdbc.sql("SELECT DISTINCT source FROM journal_entry ORDER BY source")
        .query(String.class)
        .list();
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
    return jdbc.sql(
            "SELECT ev.stage, COUNT(*) AS total, SUM(CASE WHEN "
                + ENTERED_FAILED
                + " THEN 1 ELSE 0 END) AS failed"
                + " FROM journal_event ev WHERE ev.occurred_at >= :since GROUP BY ev.stage ORDER BY ev.stage")
        .param("since", since)
        .query(
            (rs, n) ->
                new StageCount(rs.getString("stage"), rs.getLong("total"), rs.getLong("failed")))
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
    return jdbc.sql(
            "SELECT ev.occurred_at FROM journal_event ev WHERE ev.occurred_at >= :since AND "
                + ENTERED_FAILED)
        .param("since", since)
        .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
        .list();
  }

  /** Messages now FAILED, grouped by reason, most frequent first. */
  public List<ReasonCount> failuresByReason(int limit) {
    return jdbc.sql(
            "SELECT state_reason, COUNT(*) AS n FROM journal_entry WHERE state = 'FAILED'"
                + " GROUP BY state_reason ORDER BY n DESC LIMIT :limit")
        .param("limit", limit)
        // A reason may quote a record id a source made of the citizen's CPR number.
        .query((rs, n) -> new ReasonCount(Cpr.maskWithin(rs.getString(1)), rs.getLong(2)))
        .list();
  }

  /**
   * Ids of FAILED entries whose latest failure came from {@code stage} and/or whose reason contains
   * a text.
   */
  public List<String> failedIds(String stage, String reasonContains, int limit) {
    // RETRYING too: after the fix, its queued retries go now instead of after their back-off.
    StringBuilder sql =
        new StringBuilder(
            "SELECT e.id FROM journal_entry e WHERE e.state IN ('FAILED', 'RETRYING')");
    Map<String, Object> params = new HashMap<>();
    if (stage != null) {
      // The event that moved it to FAILED: later FAILED events are notes (views, duplicates).
      sql.append(
          " AND (SELECT ev.stage FROM journal_event ev WHERE ev.entry_id = e.id AND ev.state = e.state"
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

  private static String like(String text) {
    String escaped =
        text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    return "%" + escaped + "%";
  }

  /** Events of one stage (route or gate) in a window, and how many were failures. */
  public record StageCount(String stage, long total, long failed) {}

  /** How many FAILED messages share one reason. */
  public record ReasonCount(String reason, long count) {}
}
