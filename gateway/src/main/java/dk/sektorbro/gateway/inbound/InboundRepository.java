package dk.sektorbro.gateway.inbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL over inbound_message (V4__delivery.sql). */
@Repository
public class InboundRepository {

  // The columns' widths (V4__delivery.sql). A message's own values are whatever its sender wrote:
  // one longer than its column is refused (InboundMessages) and still journaled, cut to the column,
  // and looked up cut the same way, so its resend is a duplicate. FHIR ids are at most 64 long.
  private static final int ID = 64;
  private static final int EVENT = 60;
  private static final int GLN = 30;

  /** Arbitrary, fixed: the first key of the advisory locks of "receives a message". */
  private static final int MESSAGE_LOCK = 0x494e4258;

  private final JdbcClient jdbc;

  public InboundRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Until the caller's transaction ends, no other request or node receives a message with this
   * MessageHeader id: the second copy of a message sent twice at once waits, then finds the first
   * one's row and is answered as its duplicate instead of being handed over a second time. (Two
   * keys, as careplan.DocumentRepository's plan locks, apart from the one-key locks.)
   */
  public void lockMessageHeaderId(String headerId) {
    jdbc.sql("SELECT pg_advisory_xact_lock(:kind, hashtext(:h))")
        .param("kind", MESSAGE_LOCK)
        .param("h", headerId)
        .query()
        .singleRow();
  }

  public Optional<InboundRecord> byMessageHeaderId(String headerId) {
    return jdbc.sql(
            "SELECT * FROM inbound_message WHERE message_header_id = :h ORDER BY received_at LIMIT 1")
        .param("h", cut(headerId, ID))
        .query((rs, n) -> record(rs))
        .optional();
  }

  public boolean bundleSeen(String bundleId) {
    return jdbc.sql("SELECT COUNT(*) FROM inbound_message WHERE bundle_id = :b")
            .param("b", cut(bundleId, ID))
            .query(Long.class)
            .single()
        > 0;
  }

  /**
   * @param handover what the hand-over did (null when nothing was handed over); keptMessage only
   *     when kept
   */
  public void insert(
      InboundRecord r,
      OffsetDateTime at,
      String channel,
      String event,
      String senderGln,
      String receiverGln,
      String ackHeaderId,
      Handover.Result handover,
      String keptMessage) {
    boolean kept = handover != null && handover.status() == Handover.Status.KEPT;
    jdbc.sql(
            """
            INSERT INTO inbound_message (id, received_at, channel, bundle_id, message_header_id, event_code, sender_gln,
              receiver_gln, response_code, reason, handover_path, ack_message_header_id, ack_message, duplicates,
              handover_system, handover_status, citizen_cpr, kept_message, content_hash)
            VALUES (:id, :at, :channel, :bundle, :header, :event, :sender, :receiver, :code, :reason, :handover,
              :ackHeader, :ack, 0, :system, :status, :cpr, :kept, :hash)""")
        .param("hash", r.contentHash())
        .param("system", handover == null ? null : handover.system())
        .param("status", handover == null ? null : handover.status().name())
        .param("cpr", kept ? handover.citizenCpr() : null)
        .param("kept", kept ? keptMessage : null)
        .param("id", r.id())
        .param("at", at)
        .param("channel", channel)
        .param("bundle", cut(r.bundleId(), ID))
        .param("header", cut(r.messageHeaderId(), ID))
        .param("event", cut(event, EVENT))
        .param("sender", cut(senderGln, GLN))
        .param("receiver", cut(receiverGln, GLN))
        .param("code", r.responseCode())
        .param("reason", fit(r.reason()))
        .param("handover", r.handoverPath())
        .param("ackHeader", ackHeaderId)
        .param("ack", r.ackMessage())
        .update();
  }

  /** Kept messages of one citizen, oldest first: id and content. */
  public List<Kept> keptFor(String cpr) {
    return jdbc.sql(
            """
            SELECT id, kept_message FROM inbound_message
            WHERE handover_status = 'KEPT' AND citizen_cpr = :cpr ORDER BY received_at""")
        .param("cpr", cpr)
        .query((rs, n) -> new Kept(rs.getString("id"), rs.getString("kept_message")))
        .list();
  }

  /** Ids of kept messages, oldest first, at most {@code limit} (the sweep's batch). */
  public List<String> keptIds(int limit) {
    return jdbc.sql(
            "SELECT id FROM inbound_message WHERE handover_status = 'KEPT' ORDER BY received_at"
                + " LIMIT :limit")
        .param("limit", limit)
        .query(String.class)
        .list();
  }

  /** How many messages are kept, and how many of them were received before {@code before}. */
  public KeptCount keptCount(OffsetDateTime before) {
    return jdbc.sql(
            """
            SELECT COUNT(*) AS kept, COUNT(*) FILTER (WHERE received_at < :before) AS overdue
            FROM inbound_message WHERE handover_status = 'KEPT'""")
        .param("before", before)
        .query((rs, n) -> new KeptCount(rs.getLong("kept"), rs.getLong("overdue")))
        .single();
  }

  /** Kept messages in all, and those kept longer than the overdue limit. */
  public record KeptCount(long kept, long overdue) {}

  /**
   * The content of a message still kept, its row locked until the caller's transaction ends: a
   * consent change on another request or node that offers it to the hand-over at the same time
   * waits, then finds it handed over. Empty when it is no longer kept.
   */
  public Optional<String> claimKept(String id) {
    return jdbc.sql(
            "SELECT kept_message FROM inbound_message WHERE id = :id AND handover_status = 'KEPT'"
                + " FOR UPDATE")
        .param("id", id)
        .query(String.class)
        .optional();
  }

  /** A kept message handed over after all; its content and citizen are no longer kept here. */
  public boolean markHandedOver(String id, Handover.Result result, String reasonPrefix) {
    return jdbc.sql(
                """
            UPDATE inbound_message SET handover_status = 'HANDED_OVER', handover_path = :path, reason = :reason,
              kept_message = NULL, citizen_cpr = NULL
            WHERE id = :id AND handover_status = 'KEPT'""")
            .param("id", id)
            .param("path", result.path())
            .param("reason", fit(reasonPrefix + result.reason()))
            .update()
        == 1;
  }

  /**
   * A kept message an administrator discarded: never handed over, its content and citizen no longer
   * kept; the reason says who and why, then what it was kept for.
   */
  public boolean markDiscarded(String id, String reasonPrefix) {
    return jdbc.sql(
                """
            UPDATE inbound_message SET handover_status = 'DISCARDED', kept_message = NULL, citizen_cpr = NULL,
              reason = LEFT(:prefix || COALESCE(reason, ''), 4000)
            WHERE id = :id AND handover_status = 'KEPT'""")
            .param("id", id)
            .param("prefix", reasonPrefix)
            .update()
        == 1;
  }

  public boolean exists(String id) {
    return jdbc.sql("SELECT COUNT(*) FROM inbound_message WHERE id = :id")
            .param("id", id)
            .query(Long.class)
            .single()
        > 0;
  }

  /** One received message as the API lists it: what was answered and where it went; no content. */
  public record InboundMessageRow(
      String id,
      String receivedAt,
      String channel,
      String messageHeaderId,
      String event,
      String senderGln,
      String receiverGln,
      String responseCode,
      String handoverSystem,
      String handoverStatus,
      String handoverPath,
      String reason,
      int duplicates,
      int contentConflicts,
      String lastConflictAt,
      String lastConflictBundleId) {}

  /** Recent inbound messages, newest first, optionally one hand-over status; no content, no CPR. */
  public List<InboundMessageRow> recent(String status, int size) {
    return jdbc.sql(
            """
            SELECT id, received_at, channel, message_header_id, event_code, sender_gln, receiver_gln, response_code,
              handover_system, handover_status, handover_path, reason, duplicates, content_conflicts,
              last_conflict_at, last_conflict_bundle_id
            FROM inbound_message WHERE handover_status = :status OR :all
            ORDER BY received_at DESC LIMIT :size""")
        // A null parameter has no type on PostgreSQL: "all" is a boolean, the status never null.
        .param("status", status == null ? "" : status)
        .param("all", status == null)
        .param("size", size)
        .query(
            (rs, n) ->
                new InboundMessageRow(
                    rs.getString("id"),
                    rs.getObject("received_at", OffsetDateTime.class).toString(),
                    rs.getString("channel"),
                    rs.getString("message_header_id"),
                    rs.getString("event_code"),
                    rs.getString("sender_gln"),
                    rs.getString("receiver_gln"),
                    rs.getString("response_code"),
                    rs.getString("handover_system"),
                    rs.getString("handover_status"),
                    rs.getString("handover_path"),
                    rs.getString("reason"),
                    rs.getInt("duplicates"),
                    rs.getInt("content_conflicts"),
                    rs.getObject("last_conflict_at", OffsetDateTime.class) == null
                        ? null
                        : rs.getObject("last_conflict_at", OffsetDateTime.class).toString(),
                    rs.getString("last_conflict_bundle_id")))
        .list();
  }

  private static String cut(String value, int width) {
    return value == null || value.length() <= width ? value : value.substring(0, width);
  }

  // reason is VARCHAR(4000); a long list of consent notes must not turn a received message into an
  // error.
  private static String fit(String reason) {
    return reason == null || reason.length() <= 4000 ? reason : reason.substring(0, 3997) + "...";
  }

  /** A message kept from its system, waiting for a consent. */
  public record Kept(String id, String message) {}

  /**
   * A copy under the same MessageHeader id whose content differs from the first: counted, its hash,
   * Bundle.id and time kept for the administrator (never its content).
   */
  public void recordConflict(String id, String hash, String bundleId, OffsetDateTime at) {
    jdbc.sql(
            """
            UPDATE inbound_message SET content_conflicts = content_conflicts + 1, last_conflict_hash = :hash,
              last_conflict_bundle_id = :bundle, last_conflict_at = :at
            WHERE id = :id""")
        .param("id", id)
        .param("hash", hash)
        .param("bundle", cut(bundleId, ID))
        .param("at", at)
        .update();
  }

  public void countDuplicate(String id) {
    jdbc.sql("UPDATE inbound_message SET duplicates = duplicates + 1 WHERE id = :id")
        .param("id", id)
        .update();
  }

  private static InboundRecord record(ResultSet rs) throws SQLException {
    return new InboundRecord(
        rs.getString("id"),
        rs.getString("bundle_id"),
        rs.getString("message_header_id"),
        rs.getString("response_code"),
        rs.getString("reason"),
        rs.getString("handover_path"),
        rs.getString("ack_message"),
        rs.getString("content_hash"));
  }
}
