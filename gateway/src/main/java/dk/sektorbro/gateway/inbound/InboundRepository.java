package dk.sektorbro.gateway.inbound;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL over inbound_message (V4__delivery.sql). */
@Repository
public class InboundRepository {

  private final JdbcClient jdbc;

  public InboundRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<InboundRecord> byMessageHeaderId(String headerId) {
    return jdbc.sql("SELECT * FROM inbound_message WHERE message_header_id = :h ORDER BY received_at LIMIT 1")
        .param("h", headerId).query((rs, n) -> record(rs)).optional();
  }

  public boolean bundleSeen(String bundleId) {
    return jdbc.sql("SELECT COUNT(*) FROM inbound_message WHERE bundle_id = :b").param("b", bundleId)
        .query(Long.class).single() > 0;
  }

  public void insert(InboundRecord r, OffsetDateTime at, String channel, String event, String senderGln,
      String receiverGln, String ackHeaderId) {
    jdbc.sql("""
            INSERT INTO inbound_message (id, received_at, channel, bundle_id, message_header_id, event_code, sender_gln,
              receiver_gln, response_code, reason, handover_path, ack_message_header_id, ack_message, duplicates)
            VALUES (:id, :at, :channel, :bundle, :header, :event, :sender, :receiver, :code, :reason, :handover,
              :ackHeader, :ack, 0)""")
        .param("id", r.id()).param("at", at).param("channel", channel).param("bundle", r.bundleId())
        .param("header", r.messageHeaderId()).param("event", event).param("sender", senderGln)
        .param("receiver", receiverGln).param("code", r.responseCode()).param("reason", r.reason())
        .param("handover", r.handoverPath()).param("ackHeader", ackHeaderId).param("ack", r.ackMessage())
        .update();
  }

  public void countDuplicate(String id) {
    jdbc.sql("UPDATE inbound_message SET duplicates = duplicates + 1 WHERE id = :id").param("id", id).update();
  }

  private static InboundRecord record(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new InboundRecord(rs.getString("id"), rs.getString("bundle_id"), rs.getString("message_header_id"),
        rs.getString("response_code"), rs.getString("reason"), rs.getString("handover_path"),
        rs.getString("ack_message"));
  }
}
