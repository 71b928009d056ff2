package dk.sektorbro.gateway.inbound;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Acknowledgements that changed nothing (unknown, duplicate, late, unreadable, refused): kept for
 * operators.
 */
@Repository
public class UnmatchedAcknowledgements {

  private final JdbcClient jdbc;
  private final Clock clock;

  public UnmatchedAcknowledgements(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public void record(
      String channel, Acknowledgement ack, String entryId, String reason, String content) {
    jdbc.sql(
            """
            INSERT INTO unmatched_acknowledgement (received_at, channel, response_identifier, response_code,
              entry_id, reason, content)
            VALUES (:at, :channel, :response, :code, :entry, :reason, :content)""")
        .param("at", OffsetDateTime.now(clock))
        .param("channel", channel)
        .param("response", ack == null ? null : ack.responseIdentifier())
        .param("code", ack == null ? null : ack.code())
        .param("entry", entryId)
        .param("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason)
        .param("content", content)
        .update();
  }

  /**
   * One acknowledgement that changed nothing, as the API lists it (the column names, as the API
   * always named them); never its content.
   */
  public record UnmatchedRow(
      long id,
      @JsonProperty("received_at") Timestamp receivedAt,
      String channel,
      @JsonProperty("response_identifier") String responseIdentifier,
      @JsonProperty("response_code") String responseCode,
      @JsonProperty("entry_id") String entryId,
      String reason) {}

  /** Newest first. */
  public List<UnmatchedRow> recent(int limit) {
    return jdbc.sql(
            "SELECT id, received_at, channel, response_identifier, response_code, entry_id, reason"
                + " FROM unmatched_acknowledgement ORDER BY id DESC LIMIT :limit")
        .param("limit", limit)
        .query(
            (rs, n) ->
                new UnmatchedRow(
                    rs.getLong("id"),
                    rs.getTimestamp("received_at"),
                    rs.getString("channel"),
                    rs.getString("response_identifier"),
                    rs.getString("response_code"),
                    rs.getString("entry_id"),
                    rs.getString("reason")))
        .list();
  }
}
