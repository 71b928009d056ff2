package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalRepository;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.ExecutionFence;
import dk.sektorbro.gateway.platform.PermanentFailure;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Outbound bytes are fixed before they leave: the first attempt for a Bundle on a route prepares
 * the message (envelope ids and times, signature, encryption all vary per preparation) and stores
 * it; every later attempt sends the stored bytes (V17__outbound_message.sql). When two attempts
 * race, the first stored copy wins and both send it. A first attempt's preparation that finds a
 * copy already stored (a re-delivery after a crash) is dropped, and the stored copy is sent.
 *
 * <p>Bytes that are the journal's own message (a route without envelope, signing or encryption: the
 * UTF-8 of {@code journal_entry.fhir_message}) are not stored a second time: the row keeps its key
 * and metadata without payload, and the bytes are read from the journal, only while the entry still
 * carries the row's Bundle.id (V38__outbound_message_as_journal.sql, which also refuses any change
 * of that text under the same Bundle.id). A resend's renewal gives a new Bundle.id, so a new row;
 * retention removes the text with the rows.
 */
@Component
public class FixedOutboundMessages {

  private final JdbcClient jdbc;
  private final Clock clock;

  public FixedOutboundMessages(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * The bytes to send and, where the statement that stored them read it too, the message's delivery
   * work ({@code scheduled}, for SENT's bookkeeping; null when not read).
   */
  public record Attempted(OutboundMessage message, DeliveryWork scheduled) {}

  /**
   * Whether the node attempting still holds the step (a fencing token): an SQL condition on {@code
   * :entry} and its own parameters, read by the statement that fixes or reads the bytes, the last
   * commit before the message leaves. A node that was stalled (a long GC pause, a suspended VM)
   * while another took its step over finds it false and sends nothing ({@link TakenOver}).
   */
  public record Holder(String condition, Map<String, Object> params) {

    /** No check: a caller that holds the step by other means (tests, tools). */
    public static final Holder ANY = new Holder("TRUE", Map.of());

    /**
     * A first send from this node's pipeline: the entry is still this node's ({@code owner_node},
     * which recovery's take-over of a silent node's entries changes in its claiming statement), in
     * the state and with the Bundle the attempt read. Ownership alone could come back (a node that
     * took the entry over and delivered it, then an acknowledgement journaled on this node); the
     * state and Bundle then differ.
     */
    public static Holder owner(String node, JournalEntry read) {
      return new Holder(
          "EXISTS (SELECT 1 FROM journal_entry h WHERE h.id = :entry AND h.owner_node = :holder"
              + " AND h.state = :heldState AND h.bundle_id = :bundle)",
          Map.of("holder", node, "heldState", read.state().name()));
    }

    /**
     * A run of the message's execution: the execution still carries the version the engine's pick
     * gave it. The engine's revival on another node (after the missed heartbeats) and its pick
     * there each add one, and nothing lowers it: a stalled run's version never holds again.
     */
    public static Holder execution(long version) {
      return new Holder(ExecutionFence.holds(DeliverySchedule.TASK), Map.of("holder", version));
    }
  }

  /**
   * Another node holds the step now (see {@link Holder}): this attempt must send nothing, and its
   * transaction is rolled back.
   */
  public static final class TakenOver extends RuntimeException {
    TakenOver(String entryId) {
      super("delivery step of " + entryId + " taken over by another node", null, false, false);
    }
  }

  /**
   * The bytes to send for this attempt, stored first if they were not; {@code notes} (the delivery
   * guards' PASS decisions) are journaled by the first statement this makes, in the caller's
   * transaction, also when it ends in a {@link PermanentFailure}. A first attempt's insert also
   * reads the message's delivery work (DeliverySchedule#WORK_OF_ENTRY), so SENT's bookkeeping needs
   * no read of its own. {@code prepare} is handed the journal text's UTF-8 (null when the entry has
   * no text), encoded once here: the same array is what the prepared bytes are compared with to
   * tell whether they are the journal's message (an identical array compares at once, any other
   * byte for byte).
   */
  public Attempted attempt(
      JournalEntry entry,
      RecipientRoute route,
      Function<byte[], OutboundMessage> prepare,
      List<Journal.Note> notes) {
    return attempt(entry, route, prepare, notes, Holder.ANY);
  }

  /**
   * As {@link #attempt(JournalEntry, RecipientRoute, Function, List)}, only while {@code holder}
   * holds: every statement that fixes or reads the bytes reads the holder's condition too (no
   * statement more), and a false one throws {@link TakenOver} (roll the transaction back: the
   * guards' notes and any bytes stored by this statement go with it).
   */
  public Attempted attempt(
      JournalEntry entry,
      RecipientRoute route,
      Function<byte[], OutboundMessage> prepare,
      List<Journal.Note> notes,
      Holder holder) {
    Attempt attempt = new Attempt(entry, routeKey(route), notes, OffsetDateTime.now(clock), holder);
    if (entry.state() != MessageState.VALIDATED) {
      // A retry or a resend: the bytes were most likely stored by an earlier attempt.
      Optional<OutboundMessage> stored = attempt.find();
      if (stored.isPresent()) {
        return new Attempted(stored.get(), null);
      }
    }
    // A first attempt (VALIDATED) prepares and stores without reading first: the insert finds a
    // copy stored before (a crash between storing and SENT, or a racing node), and then that copy
    // is sent. One statement fewer per message (issue 14).
    byte[] text =
        entry.fhirMessage() == null ? null : OutboundPreparation.messageBytes(entry.fhirMessage());
    OutboundMessage prepared;
    try {
      prepared = prepare.apply(text);
    } catch (PermanentFailure e) {
      // Stored bytes do not need preparing again: send them if there are any.
      return new Attempted(attempt.find().orElseThrow(() -> e), null);
    }
    if (isJournalMessage(route, prepared, text)) {
      // Stored now as the journal's message: these bytes are the fixed copy. Not stored: a copy
      // was stored before (an earlier attempt, a racing one), or the journal no longer carries
      // this Bundle (a resend renewed it meanwhile, then these bytes are stored as they are).
      Stored stored = attempt.insertAsJournalMessage(prepared);
      if (stored.inserted()) {
        return new Attempted(prepared, stored.scheduled());
      }
      Optional<OutboundMessage> before = attempt.find();
      if (before.isPresent()) {
        return new Attempted(before.get(), stored.scheduled());
      }
    }
    // Stored now: these bytes are the fixed copy (no second read). Stored before (an earlier
    // attempt, a racing one): send that copy.
    Stored stored = attempt.insert(prepared);
    return new Attempted(
        stored.inserted() ? prepared : attempt.find().orElseThrow(), stored.scheduled());
  }

  /** What an insert did: whether it stored the row, and the delivery work it read. */
  private record Stored(boolean inserted, DeliveryWork scheduled) {}

  /**
   * True when the prepared bytes are the journal's message itself: a route that neither envelopes,
   * signs nor encrypts, and the bytes equal to the text's UTF-8 {@code text} (checked, not
   * assumed).
   */
  private static boolean isJournalMessage(
      RecipientRoute route, OutboundMessage prepared, byte[] text) {
    return route.envelope() == EnvelopeKind.NONE
        && !route.sign()
        && route.encryptTo() == null
        && text != null
        && Arrays.equals(prepared.payload(), text);
  }

  /** One call's statements: the first of them also journals the guards' notes. */
  private final class Attempt {

    private final JournalEntry entry;
    private final String routeKey;
    private final OffsetDateTime now;
    private final Holder holder;
    private List<Journal.Note> notes;

    Attempt(
        JournalEntry entry,
        String routeKey,
        List<Journal.Note> notes,
        OffsetDateTime now,
        Holder holder) {
      this.entry = entry;
      this.routeKey = routeKey;
      this.notes = notes;
      this.now = now;
      this.holder = holder;
    }

    /** Throws {@link TakenOver} when the statement found the holder's condition false. */
    private void held(ResultSet rs) throws SQLException {
      if (!rs.getBoolean("held")) {
        throw new TakenOver(entry.id());
      }
    }

    /** The statement after its WITH queries: the notes not journaled yet, then {@code with}. */
    private JdbcClient.StatementSpec sql(String with, String statement) {
      Map<String, Object> params = new HashMap<>();
      String queries =
          Stream.of(JournalRepository.eventsWith(entry.id(), now, notes, params), with)
              .filter(query -> !query.isEmpty())
              .collect(Collectors.joining(",\n"));
      notes = List.of();
      return jdbc.sql((queries.isEmpty() ? "" : "WITH " + queries + "\n") + statement)
          .params(params)
          .param("entry", entry.id())
          .param("bundle", entry.bundleId())
          .param("route", routeKey)
          .params(holder.params());
    }

    /**
     * The insert, and the message's delivery work read in the same statement: a snapshot read as a
     * statement of its own would be, without its round trip.
     */
    private Stored inserting(String insert, OutboundMessage prepared, byte[] payload) {
      return sql(
              "stored AS (" + insert + "\nON CONFLICT DO NOTHING RETURNING 1)",
              "SELECT (SELECT COUNT(*) FROM stored) AS inserted, "
                  + DeliverySchedule.WORK_OF_ENTRY
                  + " AS work, "
                  + holder.condition()
                  + " AS held")
          .param("payload", payload)
          .param("type", prepared.contentType())
          .param("extension", prepared.fileExtension())
          .param("at", now)
          .query(
              (rs, n) -> {
                held(rs);
                return new Stored(
                    rs.getInt("inserted") == 1,
                    DeliverySchedule.workOf(rs.getBytes("work"), entry.recipientGln()));
              })
          .single();
    }

    /**
     * The row without payload, only while the journal entry carries this Bundle and its message:
     * the text those bytes were prepared from (the entry was read from that row, and V38's trigger
     * keeps the text of a Bundle whose bytes are stored as it).
     */
    Stored insertAsJournalMessage(OutboundMessage prepared) {
      return inserting(
          """
          INSERT INTO outbound_message (entry_id, bundle_id, route_key, payload, content_type,
            file_extension, prepared_at)
          SELECT id, bundle_id, :route, NULL, :type, :extension, :at FROM journal_entry
          WHERE id = :entry AND bundle_id = :bundle AND fhir_message IS NOT NULL""",
          prepared,
          null);
    }

    Stored insert(OutboundMessage prepared) {
      return inserting(
          """
          INSERT INTO outbound_message (entry_id, bundle_id, route_key, payload, content_type,
            file_extension, prepared_at)
          VALUES (:entry, :bundle, :route, :payload, :type, :extension, :at)""",
          prepared,
          prepared.payload());
    }

    /**
     * The stored bytes of this entry's Bundle on the route. A row without payload is the journal's
     * message, as long as the entry still carries the row's Bundle; when it does not (renewed by a
     * resend, or the text removed by retention) those bytes exist no more, and nothing is sent.
     */
    Optional<OutboundMessage> find() {
      return sql(
              "",
              """
              SELECT o.payload, o.content_type, o.file_extension,
                     CASE WHEN o.payload IS NULL AND j.bundle_id = o.bundle_id THEN j.fhir_message END
                       AS journal_message, """
                  + holder.condition()
                  + """
               AS held
              FROM outbound_message o JOIN journal_entry j ON j.id = o.entry_id
              WHERE o.entry_id = :entry AND o.bundle_id = :bundle AND o.route_key = :route""")
          .query(
              (rs, n) -> {
                held(rs);
                return stored(rs);
              })
          .optional();
    }

    private OutboundMessage stored(ResultSet rs) throws SQLException {
      byte[] payload = rs.getBytes("payload");
      if (payload == null) {
        String text = rs.getString("journal_message");
        if (text == null) {
          throw new PermanentFailure(
              "the outbound bytes fixed for Bundle "
                  + entry.bundleId()
                  + " are no longer stored (the journal's message for that Bundle was"
                  + " renewed or removed)");
        }
        payload = OutboundPreparation.messageBytes(text);
      }
      return new OutboundMessage(
          entry.id(),
          entry.recipientGln(),
          entry.messageHeaderId(),
          payload,
          rs.getString("content_type"),
          rs.getString("file_extension"));
    }
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

  // What shapes the bytes: envelope, signing, encryption (the transport only carries them).
  private static String routeKey(RecipientRoute route) {
    return route.envelope()
        + "|sign="
        + route.sign()
        + "|encrypt="
        + (route.encryptTo() == null ? "" : route.encryptTo());
  }
}
