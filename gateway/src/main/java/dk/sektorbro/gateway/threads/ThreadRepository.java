package dk.sektorbro.gateway.threads;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Plain SQL over thread_message (V13__care_communication_threads.sql). A message the gateway built
 * has no text of its own there (V37): it is its journal entry's fhir_message, written in the same
 * statement as the row (journal.JournalRepository, the move to TRANSLATED), and read from there.
 */
@Repository
public class ThreadRepository {

  /**
   * Received messages count always; the gateway's own only once they really went out: the entry is
   * SENT or ACKNOWLEDGED and still carries the row's MessageHeader id. The state says that the
   * message the entry carries left (journal.Journal#sent moves to SENT only for the Bundle the
   * attempt sent; a resend keeps the MessageHeader id). A row of a MessageHeader translated away by
   * an edit is never continued: the entry's state says nothing about it, and such a message either
   * never left (edited before delivery) or was not acknowledged (held, refused, retried, resent by
   * an operator, then edited), so continuing it could pass on content nobody received.
   */
  private static final String USABLE =
      """
      (t.direction = 'RECEIVED' OR EXISTS (SELECT 1 FROM journal_entry j WHERE j.id = t.journal_entry_id
        AND j.message_header_id = t.message_header_id AND j.state IN ('SENT', 'ACKNOWLEDGED')))""";

  /**
   * A thread row with its text: its own, or the journal entry's while that entry still carries the
   * row's MessageHeader id (whatever replaces the entry's message first gives the row its own copy,
   * see journal.JournalRepository). A row whose text is gone reads with none.
   */
  private static final String SELECT =
      """
      SELECT t.message_header_id, t.thread_id, t.episode_of_care_id, t.direction, t.journal_entry_id,
        t.recorded_at, COALESCE(t.message, sent.fhir_message) AS message
      FROM thread_message t LEFT JOIN journal_entry sent ON t.message IS NULL
        AND sent.id = t.journal_entry_id AND sent.message_header_id = t.message_header_id
      """;

  private final JdbcClient jdbc;

  public ThreadRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One message of a thread as stored: ids, where it came from and its text (JSON or XML). */
  public record StoredMessage(
      String messageHeaderId,
      String threadId,
      String episodeOfCareId,
      String direction,
      String journalEntryId,
      OffsetDateTime recordedAt,
      String message) {}

  /**
   * Stores a message once, with its text; a second call for the same MessageHeader id changes
   * nothing. (The gateway's own messages are stored without their text, with the move to
   * TRANSLATED.)
   */
  public void insert(StoredMessage m) {
    // One statement: no read of the stored message (its whole text) to find out it is there.
    jdbc.sql(
            """
            INSERT INTO thread_message (message_header_id, thread_id, episode_of_care_id, direction, journal_entry_id,
              recorded_at, message)
            VALUES (:header, :thread, :episode, :direction, :entry, :at, :message)
            ON CONFLICT (message_header_id) DO NOTHING""")
        .param("header", m.messageHeaderId())
        .param("thread", m.threadId())
        .param("episode", m.episodeOfCareId())
        .param("direction", m.direction())
        .param("entry", m.journalEntryId())
        .param("at", m.recordedAt())
        .param("message", m.message())
        .update();
  }

  public Optional<StoredMessage> find(String messageHeaderId) {
    return jdbc.sql(SELECT + "WHERE t.message_header_id = :h")
        .param("h", messageHeaderId)
        .query((rs, n) -> row(rs))
        .optional();
  }

  /** Whether the message may be continued: received, or sent and really out. */
  public boolean usable(String messageHeaderId) {
    return jdbc.sql(
                "SELECT COUNT(*) FROM thread_message t WHERE t.message_header_id = :h AND "
                    + USABLE)
            .param("h", messageHeaderId)
            .query(Long.class)
            .single()
        > 0;
  }

  public Optional<StoredMessage> latestOfThread(String threadId) {
    return jdbc.sql(
            SELECT
                + "WHERE t.thread_id = :t AND "
                + USABLE
                + " ORDER BY t.recorded_at DESC LIMIT 1")
        .param("t", threadId)
        .query((rs, n) -> row(rs))
        .optional();
  }

  public Optional<StoredMessage> latestOfEpisode(String episodeOfCareId) {
    return jdbc.sql(
            SELECT
                + "WHERE t.episode_of_care_id = :e AND "
                + USABLE
                + " ORDER BY t.recorded_at DESC LIMIT 1")
        .param("e", episodeOfCareId)
        .query((rs, n) -> row(rs))
        .optional();
  }

  /** The usable messages of a thread up to and including the given time, oldest first. */
  public List<StoredMessage> threadUpTo(String threadId, OffsetDateTime until) {
    return jdbc.sql(
            SELECT
                + "WHERE t.thread_id = :t AND t.recorded_at <= :until AND "
                + USABLE
                + " ORDER BY t.recorded_at")
        .param("t", threadId)
        .param("until", until)
        .query((rs, n) -> row(rs))
        .list();
  }

  /**
   * Messages of the thread that came after the given time (a reply goes to the latest one only).
   */
  public List<String> laterInThread(String threadId, OffsetDateTime after) {
    return jdbc.sql(
            "SELECT message_header_id FROM thread_message t WHERE t.thread_id = :t AND t.recorded_at > :after"
                + " AND "
                + USABLE
                + " ORDER BY t.recorded_at")
        .param("t", threadId)
        .param("after", after)
        .query(String.class)
        .list();
  }

  private static StoredMessage row(ResultSet rs) throws SQLException {
    return new StoredMessage(
        rs.getString("message_header_id"),
        rs.getString("thread_id"),
        rs.getString("episode_of_care_id"),
        rs.getString("direction"),
        rs.getString("journal_entry_id"),
        rs.getObject("recorded_at", OffsetDateTime.class),
        rs.getString("message"));
  }
}
