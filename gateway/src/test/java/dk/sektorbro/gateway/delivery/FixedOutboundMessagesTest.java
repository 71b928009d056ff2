package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.kagkarlsson.scheduler.serializer.JacksonSerializer;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.RecipientRoute;
import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.TransportKind;
import dk.sektorbro.gateway.delivery.transport.OutboundMessage;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.Translation;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The bytes of a message are fixed once, on PostgreSQL: a first attempt stores what it prepared
 * without reading first; whenever a copy is stored already (a re-delivery after a crash, a retry)
 * that copy is sent, even when preparing again would fail.
 */
class FixedOutboundMessagesTest {

  private static final RecipientRoute ROUTE =
      new RecipientRoute(TransportKind.POSTBOX, EnvelopeKind.NONE, null, false, null);

  private static MigratedPostgres postgres;
  private static Journal journal;
  private static JdbcClient jdbc;
  private static FixedOutboundMessages fixed;

  @BeforeAll
  static void start() throws Exception {
    postgres = MigratedPostgres.start();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    journal = TestEntries.journal(postgres.getPostgresDatabase());
    fixed = new FixedOutboundMessages(jdbc, Clock.systemUTC());
  }

  @Test
  void aFirstAttempt_storesWhatItPrepared_andARedeliverySendsThatCopy() {
    JournalEntry entry = entry("rec-first", MessageState.VALIDATED);
    AtomicInteger prepared = new AtomicInteger();
    assertThat(fixedBytes(entry, ROUTE, bytes("first", prepared)).payload())
        .isEqualTo("first".getBytes());
    assertThat(prepared).hasValue(1);

    // Still VALIDATED after a crash between storing and SENT: the stored copy goes, not the new
    // one.
    assertThat(fixedBytes(entry, ROUTE, bytes("second", prepared)).payload())
        .isEqualTo("first".getBytes());
    assertThat(fixedBytes(entry, ROUTE, failing()).payload()).isEqualTo("first".getBytes());
    assertThat(rows(entry)).isEqualTo(1);
  }

  @Test
  void aRetry_sendsTheStoredCopy_withoutPreparing() {
    JournalEntry first = entry("rec-retry", MessageState.VALIDATED);
    fixedBytes(first, ROUTE, bytes("stored", new AtomicInteger()));
    JournalEntry retry = with(first, MessageState.RETRYING);
    AtomicInteger prepared = new AtomicInteger();
    assertThat(fixedBytes(retry, ROUTE, bytes("new", prepared)).payload())
        .isEqualTo("stored".getBytes());
    assertThat(prepared).hasValue(0);
  }

  @Test
  void nothingStored_andPreparingFails_isThePermanentFailure() {
    JournalEntry entry = entry("rec-unpreparable", MessageState.VALIDATED);
    assertThatThrownBy(() -> fixedBytes(entry, ROUTE, failing()))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("cannot sign");
    assertThat(rows(entry)).isZero();
  }

  // A message with what UTF-8 encodes in 2, 3 and 4 bytes, and line ends of both kinds: the bytes
  // read back from the journal must be the prepared ones exactly.
  private static final String TEXT =
      "<Bundle xmlns=\"http://hl7.org/fhir\"><!-- Søren Ærø, \u20ac 12, \ud83d\ude91 -->\r\n"
          + "<id value=\"x\"/>\n</Bundle>";

  @Test
  void thePlainRoute_storesTheJournalsMessageOnce_andEveryLaterAttemptSendsItsBytes() {
    JournalEntry entry = translated("rec-plain", "bundle-plain", TEXT, MessageState.VALIDATED);
    byte[] expected = TEXT.getBytes(StandardCharsets.UTF_8);
    AtomicInteger prepared = new AtomicInteger();
    assertThat(fixedBytes(entry, ROUTE, journalBytes(entry, prepared)).payload())
        .isEqualTo(expected);
    assertThat(payloads(entry)).as("no second copy of the message").containsExactly((byte[]) null);

    // A retry, a re-delivery after a crash (or a release) with different or no new bytes, a
    // racing first attempt: the journal's bytes, without preparing.
    assertThat(fixedBytes(with(entry, MessageState.RETRYING), ROUTE, failing()).payload())
        .isEqualTo(expected);
    assertThat(fixedBytes(with(entry, MessageState.SENT), ROUTE, failing()).payload())
        .isEqualTo(expected);
    assertThat(fixedBytes(entry, ROUTE, bytes("other", prepared)).payload()).isEqualTo(expected);
    assertThat(fixedBytes(entry, ROUTE, failing()).payload()).isEqualTo(expected);
    assertThat(rows(entry)).isEqualTo(1);
  }

  @Test
  void aPreparationHandedTheEncodedText_isStillComparedWithIt_byteForByte() {
    byte[] expected = TEXT.getBytes(StandardCharsets.UTF_8);
    JournalEntry same = translated("rec-handed", "bundle-handed", TEXT, MessageState.VALIDATED);
    List<byte[]> handed = new ArrayList<>();
    assertThat(
            fixed
                .attempt(
                    same,
                    ROUTE,
                    text -> {
                      handed.add(text);
                      return message(text);
                    },
                    List.of())
                .message()
                .payload())
        .isEqualTo(expected);
    assertThat(handed).as("the text's UTF-8, encoded once").containsExactly(expected);
    assertThat(payloads(same)).as("the journal's message").containsExactly((byte[]) null);

    // An equal copy is the journal's message too; one byte changed (same length) is not, and is
    // stored as it is.
    JournalEntry copy = translated("rec-copy", "bundle-copy", TEXT, MessageState.VALIDATED);
    fixed.attempt(copy, ROUTE, text -> message(text.clone()), List.of());
    assertThat(payloads(copy)).containsExactly((byte[]) null);
    JournalEntry changed =
        translated("rec-changed", "bundle-changed", TEXT, MessageState.VALIDATED);
    byte[] altered = expected.clone();
    altered[altered.length - 1] = ' ';
    assertThat(
            fixed.attempt(changed, ROUTE, text -> message(altered), List.of()).message().payload())
        .isEqualTo(altered);
    assertThat(payloads(changed)).containsExactly(altered);
  }

  @Test
  void bytesThatAreNotTheJournalsMessage_areStoredAsTheyAre() {
    JournalEntry entry = translated("rec-vans", "bundle-vans", TEXT, MessageState.VALIDATED);
    RecipientRoute vans =
        new RecipientRoute(TransportKind.POSTBOX, EnvelopeKind.VANS, null, true, null);
    byte[] enveloped = ("<vans>" + TEXT + "</vans>").getBytes(StandardCharsets.UTF_8);
    assertThat(fixedBytes(entry, vans, () -> message(enveloped)).payload()).isEqualTo(enveloped);
    // On the plain route, bytes that differ from the text (never prepared so today) are kept too.
    JournalEntry other = translated("rec-differ", "bundle-differ", TEXT, MessageState.VALIDATED);
    byte[] latin1 = TEXT.getBytes(StandardCharsets.ISO_8859_1);
    assertThat(fixedBytes(other, ROUTE, () -> message(latin1)).payload()).isEqualTo(latin1);

    assertThat(payloads(entry)).containsExactly(enveloped);
    assertThat(payloads(other)).containsExactly(latin1);
    // Stored as they are, the journal's text may change (they do not).
    jdbc.sql("UPDATE journal_entry SET fhir_message = 'changed' WHERE id = :id")
        .param("id", entry.id())
        .update();
    assertThat(fixedBytes(with(entry, MessageState.RETRYING), vans, failing()).payload())
        .isEqualTo(enveloped);
  }

  @Test
  void theJournalRefusesToChangeAMessageWhoseBytesAreFixedAsIt_underTheSameBundle() {
    JournalEntry entry = translated("rec-refuse", "bundle-refuse", TEXT, MessageState.VALIDATED);
    fixedBytes(entry, ROUTE, journalBytes(entry, new AtomicInteger()));

    assertThatThrownBy(
            () ->
                jdbc.sql("UPDATE journal_entry SET fhir_message = :text WHERE id = :id")
                    .param("text", TEXT + " ")
                    .param("id", entry.id())
                    .update())
        .hasMessageContaining("cannot change under the same Bundle.id");
    assertThat(fixedBytes(with(entry, MessageState.RETRYING), ROUTE, failing()).payload())
        .isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
    // Before its bytes are fixed, a message may still change (nothing has left).
    JournalEntry open = translated("rec-open", "bundle-open", TEXT, MessageState.VALIDATED);
    jdbc.sql("UPDATE journal_entry SET fhir_message = 'changed' WHERE id = :id")
        .param("id", open.id())
        .update();
  }

  @Test
  void aResendsNewBundle_isANewMessage_andTheOldBundlesBytesAreNeverTheNewText() {
    JournalEntry first = translated("rec-renew", "bundle-1", TEXT, MessageState.VALIDATED);
    fixedBytes(first, ROUTE, journalBytes(first, new AtomicInteger()));

    String renewedText = TEXT.replace("x", "renewed");
    journal.renewedBundle(
        first.id(), storedState(first), "bundle-1", "bundle-2", renewedText, "resend 1 of 3");
    JournalEntry renewed = journal.find(first.id()).orElseThrow();
    assertThat(renewed.bundleId()).isEqualTo("bundle-2");
    assertThat(fixedBytes(renewed, ROUTE, journalBytes(renewed, new AtomicInteger())).payload())
        .isEqualTo(renewedText.getBytes(StandardCharsets.UTF_8));
    assertThat(rows(first)).isEqualTo(2);

    // An attempt still holding the first Bundle finds its bytes gone from the journal: it sends
    // nothing rather than the renewed message under the first Bundle's row.
    assertThatThrownBy(
            () -> fixedBytes(with(first, MessageState.RETRYING), ROUTE, journalBytes(first, null)))
        .isInstanceOf(PermanentFailure.class)
        .hasMessageContaining("no longer stored");
    assertThatThrownBy(() -> fixedBytes(first, ROUTE, journalBytes(first, new AtomicInteger())))
        .isInstanceOf(PermanentFailure.class);
  }

  @Test
  void anAttemptForABundleTheJournalNoLongerCarries_storesItsBytesAsTheyAre() {
    JournalEntry first = translated("rec-stale", "bundle-a", TEXT, MessageState.VALIDATED);
    journal.renewedBundle(
        first.id(), storedState(first), "bundle-a", "bundle-b", "renewed", "resend 1 of 3");
    // Prepared from the entry as read before the renewal: the row cannot point at the journal.
    assertThat(fixedBytes(first, ROUTE, journalBytes(first, new AtomicInteger())).payload())
        .isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
    assertThat(payloads(first)).containsExactly(TEXT.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void textRemovedByRetention_leavesNothingToSend_neverOtherBytes() {
    JournalEntry entry = translated("rec-pruned", "bundle-pruned", TEXT, MessageState.VALIDATED);
    fixedBytes(entry, ROUTE, journalBytes(entry, new AtomicInteger()));
    // Retention clears the text (and deletes the rows in the same transaction); a row left behind
    // still sends nothing.
    jdbc.sql("UPDATE journal_entry SET fhir_message = NULL WHERE id = :id")
        .param("id", entry.id())
        .update();
    assertThatThrownBy(
            () -> fixedBytes(with(entry, MessageState.RETRYING), ROUTE, journalBytes(entry, null)))
        .isInstanceOf(PermanentFailure.class);
  }

  private static final List<Journal.Note> PASSED =
      List.of(
          new Journal.Note(
              MessageState.VALIDATED,
              "consent-recheck",
              "rechecked before delivery: permitted by consent c-1",
              "{\"rule\": \"consent\", \"consentId\": \"c-1\"}"),
          new Journal.Note(MessageState.VALIDATED, "other-guard", "still fine", null));

  @Test
  void theGuardsNotes_areJournaledInOrder_byWhicheverStatementTheAttemptMakesFirst() {
    // A first attempt: with the insert.
    JournalEntry first = translated("rec-notes-1", "bundle-n1", TEXT, MessageState.VALIDATED);
    fixedBytes(first, ROUTE, journalBytes(first, new AtomicInteger()), PASSED);
    assertThat(events(first)).containsExactly(PASSED.toArray(Journal.Note[]::new));
    // A retry: with the read of the stored bytes.
    fixedBytes(with(first, MessageState.RETRYING), ROUTE, failing(), PASSED);
    assertThat(events(first)).hasSize(4);
    // A copy stored before (a conflict): the notes still go in.
    fixedBytes(first, ROUTE, journalBytes(first, new AtomicInteger()), PASSED.subList(0, 1));
    assertThat(events(first)).hasSize(5);
    // Bytes that cannot be prepared and none stored: the notes go in with the read that found
    // none, before the failure.
    JournalEntry unpreparable =
        translated("rec-notes-2", "bundle-n2", TEXT, MessageState.VALIDATED);
    assertThatThrownBy(() -> fixedBytes(unpreparable, ROUTE, failing(), PASSED))
        .isInstanceOf(PermanentFailure.class);
    assertThat(events(unpreparable)).containsExactly(PASSED.toArray(Journal.Note[]::new));
    // Stored as they are (an envelope): with that insert.
    JournalEntry vans = translated("rec-notes-3", "bundle-n3", TEXT, MessageState.VALIDATED);
    fixedBytes(
        vans,
        new RecipientRoute(TransportKind.POSTBOX, EnvelopeKind.VANS, null, false, null),
        () -> message("<vans/>".getBytes(StandardCharsets.UTF_8)),
        PASSED);
    assertThat(events(vans)).containsExactly(PASSED.toArray(Journal.Note[]::new));
  }

  @Test
  void aFirstAttemptsInsert_readsTheMessagesDeliveryWork_asTheScheduleHoldsIt() {
    JournalEntry none = translated("rec-work-1", "bundle-w1", TEXT, MessageState.VALIDATED);
    assertThat(attempt(none, journalBytes(none, new AtomicInteger())).scheduled())
        .as("no execution: a first send's work")
        .isEqualTo(DeliveryWork.first("gln"));

    // An admin's resend of a SENT message: its execution (one resend made) is still there.
    JournalEntry resent = translated("rec-work-2", "bundle-w2", TEXT, MessageState.VALIDATED);
    DeliveryWork work = new DeliveryWork(DeliveryWork.Purpose.ACK_DEADLINE, "gln", 0, 1, null);
    jdbc.sql(
            "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time,"
                + " picked, version) VALUES ('message-delivery', :id, :data, now(), FALSE, 1)")
        .param("id", resent.id())
        .param("data", new JacksonSerializer().serialize(work))
        .update();
    assertThat(attempt(resent, journalBytes(resent, new AtomicInteger())).scheduled())
        .isEqualTo(work);
    // Stored before: read with the insert that found the copy.
    assertThat(attempt(resent, journalBytes(resent, new AtomicInteger())).scheduled())
        .isEqualTo(work);
    // A retry reads only the stored bytes: its run knows the work.
    assertThat(attempt(with(resent, MessageState.RETRYING), failing()).scheduled()).isNull();
  }

  // Most tests prepare bytes of their own (or fail to), whatever the handed text: their
  // preparations are suppliers.
  private static OutboundMessage fixedBytes(
      JournalEntry entry, RecipientRoute route, Supplier<OutboundMessage> prepare) {
    return fixedBytes(entry, route, prepare, List.of());
  }

  private static OutboundMessage fixedBytes(
      JournalEntry entry,
      RecipientRoute route,
      Supplier<OutboundMessage> prepare,
      List<Journal.Note> notes) {
    return fixed.attempt(entry, route, text -> prepare.get(), notes).message();
  }

  private static FixedOutboundMessages.Attempted attempt(
      JournalEntry entry, Supplier<OutboundMessage> prepare) {
    return fixed.attempt(entry, ROUTE, text -> prepare.get(), List.of());
  }

  private static List<Journal.Note> events(JournalEntry entry) {
    return jdbc.sql(
            "SELECT state, stage, reason, detail FROM journal_event WHERE entry_id = :id"
                + " AND stage <> 'intake' AND stage <> 'translate' ORDER BY id")
        .param("id", entry.id())
        .query(
            (rs, n) ->
                new Journal.Note(
                    MessageState.valueOf(rs.getString(1)),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4)))
        .list();
  }

  /** What OutboundPreparation makes for the plain route: the text's UTF-8. */
  private static Supplier<OutboundMessage> journalBytes(JournalEntry entry, AtomicInteger calls) {
    return () -> {
      if (calls == null) {
        throw new PermanentFailure("cannot prepare");
      }
      calls.incrementAndGet();
      return message(entry.fhirMessage().getBytes(StandardCharsets.UTF_8));
    };
  }

  private static OutboundMessage message(byte[] payload) {
    return new OutboundMessage("id", "gln", "header", payload, "application/fhir+xml", "xml");
  }

  private static List<byte[]> payloads(JournalEntry entry) {
    return jdbc.sql("SELECT payload FROM outbound_message WHERE entry_id = :id ORDER BY bundle_id")
        .param("id", entry.id())
        .query((rs, n) -> rs.getBytes(1))
        .list();
  }

  /** The entry's state as the journal holds it (a renewal is made only in that state). */
  private static MessageState storedState(JournalEntry entry) {
    return journal.find(entry.id()).orElseThrow().state();
  }

  /** An entry translated in the journal itself (its row carries the Bundle and the text). */
  private static JournalEntry translated(
      String recordId, String bundleId, String text, MessageState state) {
    String id = TestEntries.register(journal, recordId);
    journal.translated(
        id,
        new Translation(
            "CareCommunication", "header-" + id, bundleId, text, "XML", "sor", "gln", "name"),
        "translated");
    JournalEntry stored = journal.find(id).orElseThrow();
    assertThat(stored.fhirMessage()).isEqualTo(text);
    return with(stored, state, stored.fhirMessage());
  }

  private static JournalEntry with(JournalEntry e, MessageState state, String text) {
    return e.withTranslation(
        state,
        new Translation(
            e.messageType(),
            e.messageHeaderId(),
            e.bundleId(),
            text,
            e.fhirFormat(),
            e.recipientSor(),
            e.recipientGln(),
            e.recipientName()));
  }

  private static Supplier<OutboundMessage> bytes(String payload, AtomicInteger calls) {
    return () -> {
      calls.incrementAndGet();
      return new OutboundMessage("id", "gln", "header", payload.getBytes(), "text/plain", "xml");
    };
  }

  private static Supplier<OutboundMessage> failing() {
    return () -> {
      throw new PermanentFailure("cannot sign");
    };
  }

  private static long rows(JournalEntry entry) {
    return jdbc.sql("SELECT COUNT(*) FROM outbound_message WHERE entry_id = :id")
        .param("id", entry.id())
        .query(Long.class)
        .single();
  }

  private static JournalEntry entry(String recordId, MessageState state) {
    String id = TestEntries.register(journal, recordId);
    return with(journal.find(id).orElseThrow(), state);
  }

  private static JournalEntry with(JournalEntry e, MessageState state) {
    if (e.bundleId() != null) {
      return with(e, state, e.fhirMessage());
    }
    return e.withTranslation(
        state,
        new Translation(
            "CareCommunication",
            "header-" + e.id(),
            "bundle-" + e.id(),
            "<Bundle/>",
            "XML",
            "sor",
            "gln",
            "name"));
  }
}
