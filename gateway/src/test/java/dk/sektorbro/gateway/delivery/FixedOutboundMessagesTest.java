package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
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

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void aFirstAttempt_storesWhatItPrepared_andARedeliverySendsThatCopy() {
    JournalEntry entry = entry("rec-first", MessageState.VALIDATED);
    AtomicInteger prepared = new AtomicInteger();
    assertThat(fixed.fixed(entry, ROUTE, bytes("first", prepared)).payload())
        .isEqualTo("first".getBytes());
    assertThat(prepared).hasValue(1);

    // Still VALIDATED after a crash between storing and SENT: the stored copy goes, not the new
    // one.
    assertThat(fixed.fixed(entry, ROUTE, bytes("second", prepared)).payload())
        .isEqualTo("first".getBytes());
    assertThat(fixed.fixed(entry, ROUTE, failing()).payload()).isEqualTo("first".getBytes());
    assertThat(rows(entry)).isEqualTo(1);
  }

  @Test
  void aRetry_sendsTheStoredCopy_withoutPreparing() {
    JournalEntry first = entry("rec-retry", MessageState.VALIDATED);
    fixed.fixed(first, ROUTE, bytes("stored", new AtomicInteger()));
    JournalEntry retry = with(first, MessageState.RETRYING);
    AtomicInteger prepared = new AtomicInteger();
    assertThat(fixed.fixed(retry, ROUTE, bytes("new", prepared)).payload())
        .isEqualTo("stored".getBytes());
    assertThat(prepared).hasValue(0);
  }

  @Test
  void nothingStored_andPreparingFails_isThePermanentFailure() {
    JournalEntry entry = entry("rec-unpreparable", MessageState.VALIDATED);
    assertThatThrownBy(() -> fixed.fixed(entry, ROUTE, failing()))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("cannot sign");
    assertThat(rows(entry)).isZero();
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
