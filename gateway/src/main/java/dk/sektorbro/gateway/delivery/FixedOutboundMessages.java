package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.PermanentFailure;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Outbound bytes are fixed before they leave: the first attempt for a Bundle on a route prepares
 * the message (envelope ids and times, signature, encryption all vary per preparation) and stores
 * it; every later attempt sends the stored bytes (V17__outbound_message.sql). When two attempts
 * race, the first stored copy wins and both send it. A first attempt's preparation that finds a
 * copy already stored (a re-delivery after a crash) is dropped, and the stored copy is sent.
 */
@Component
public class FixedOutboundMessages {

  private final JdbcClient jdbc;
  private final Clock clock;

  public FixedOutboundMessages(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public OutboundMessage fixed(
      JournalEntry entry, RecipientRoute route, Supplier<OutboundMessage> prepare) {
    String routeKey = routeKey(route);
    if (entry.state() != MessageState.VALIDATED) {
      // A retry or a resend: the bytes were most likely stored by an earlier attempt.
      Optional<OutboundMessage> stored = find(entry, routeKey);
      if (stored.isPresent()) {
        return stored.get();
      }
    }
    // A first attempt (VALIDATED) prepares and stores without reading first: the insert finds a
    // copy stored before (a crash between storing and SENT, or a racing node), and then that copy
    // is sent. One statement fewer per message (issue 14).
    OutboundMessage prepared;
    try {
      prepared = prepare.get();
    } catch (PermanentFailure e) {
      // Stored bytes do not need preparing again: send them if there are any.
      return find(entry, routeKey).orElseThrow(() -> e);
    }
    int inserted =
        jdbc.sql(
                """
            INSERT INTO outbound_message (entry_id, bundle_id, route_key, payload, content_type, file_extension,
              prepared_at)
            VALUES (:entry, :bundle, :route, :payload, :type, :extension, :at)
            ON CONFLICT DO NOTHING""")
            .param("entry", entry.id())
            .param("bundle", entry.bundleId())
            .param("route", routeKey)
            .param("payload", prepared.payload())
            .param("type", prepared.contentType())
            .param("extension", prepared.fileExtension())
            .param("at", OffsetDateTime.now(clock))
            .update();
    // Stored now: these bytes are the fixed copy (no second read). Stored before (an earlier
    // attempt, a racing one): send that copy.
    return inserted == 1 ? prepared : find(entry, routeKey).orElseThrow();
  }

  /**
   * True when bytes of this entry were ever prepared for delivery: it had a delivery attempt, so
   * the recipient may already hold the message (a release must re-deliver it, not make a new one).
   */
  public boolean prepared(String entryId) {
    return jdbc.sql("SELECT COUNT(*) FROM outbound_message WHERE entry_id = :entry")
            .param("entry", entryId)
            .query(Long.class)
            .single()
        > 0;
  }

  private Optional<OutboundMessage> find(JournalEntry entry, String routeKey) {
    return jdbc.sql(
            """
            SELECT payload, content_type, file_extension FROM outbound_message
            WHERE entry_id = :entry AND bundle_id = :bundle AND route_key = :route""")
        .param("entry", entry.id())
        .param("bundle", entry.bundleId())
        .param("route", routeKey)
        .query(
            (rs, n) ->
                new OutboundMessage(
                    entry.id(),
                    entry.recipientGln(),
                    entry.messageHeaderId(),
                    rs.getBytes("payload"),
                    rs.getString("content_type"),
                    rs.getString("file_extension")))
        .optional();
  }

  // What shapes the bytes: envelope, signing, encryption (the transport only carries them).
  private static String routeKey(RecipientRoute route) {
    return route.envelope()
        + "|sign="
        + route.sign()
        + "|encrypt="
        + (route.encryptTo() == null ? "" : route.encryptTo());
  }
}
