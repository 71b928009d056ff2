package dk.sektorbro.gateway.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.ThreadRow;
import dk.sektorbro.gateway.journal.Translation;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.record.CanonicalRecord.ThreadReference;
import dk.sektorbro.gateway.support.MigratedPostgres;
import dk.sektorbro.gateway.support.TestEntries;
import dk.sektorbro.gateway.threads.ThreadRepository.StoredMessage;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.MessageHeader;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The thread store on PostgreSQL: a message is stored once, whatever comes later; a message the
 * gateway built is stored once in all, in its journal entry (V37), and its thread keeps the text
 * that was sent for its MessageHeader id whatever replaces the entry's message later.
 */
class ThreadRepositoryPostgresTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final MigratedPostgres postgres = MigratedPostgres.start();
  private final JdbcClient jdbc = JdbcClient.create(postgres.getPostgresDatabase());
  private final ThreadRepository repository = new ThreadRepository(jdbc);
  private final Journal journal = TestEntries.journal(postgres.getPostgresDatabase());
  private final ThreadJournal threads = new ThreadJournal(repository, FHIR, Clock.systemUTC());

  @Test
  void aMessageIsStoredOnce_aSecondStoreOfTheSameMessageHeaderChangesNothing() {
    OffsetDateTime at = OffsetDateTime.of(2026, 12, 6, 18, 0, 0, 0, ZoneOffset.UTC);
    StoredMessage first =
        new StoredMessage("mh-1", "thread-1", "episode-1", "SENT", "entry-1", at, "<Bundle/>");

    repository.insert(first);
    repository.insert(
        new StoredMessage(
            "mh-1", "thread-2", null, "RECEIVED", "entry-2", at.plusHours(1), "<Other/>"));

    assertThat(repository.find("mh-1").orElseThrow())
        .usingRecursiveComparison()
        .withEqualsForType(OffsetDateTime::isEqual, OffsetDateTime.class)
        .isEqualTo(first);
  }

  @Test
  void aSentMessage_isKeptOnlyInItsJournalEntry_andAReplyContinuesItsThreadFromThere() {
    String id = TestEntries.register(journal, "rec-sent");
    Bundle bundle = careCommunication("mh-sent", "urn:uuid:thread-sent");
    String text = FHIR.newJsonParser().encodeResourceToString(bundle);

    assertThat(translate(id, bundle, text)).isTrue();

    // Stored once: the thread row has no text of its own.
    assertThat(ownText("mh-sent")).isNull();
    assertThat(repository.find("mh-sent").orElseThrow().message()).isEqualTo(text);
    // Not continuable before it is sent; then a reply by thread id gets it, text and all.
    ThreadReference reply =
        new ThreadReference(ThreadReference.REPLY, null, "urn:uuid:thread-sent", null, null);
    assertThatThrownBy(() -> threads.threadFor(reply)).isInstanceOf(PermanentFailure.class);
    send(id);
    List<Bundle> thread = threads.threadFor(reply);
    assertThat(thread).hasSize(1);
    assertThat(thread.get(0).getEntryFirstRep().getResource().getIdElement().getIdPart())
        .isEqualTo("mh-sent");
    assertThat(FHIR.newJsonParser().encodeResourceToString(thread.get(0))).isEqualTo(text);
    assertThat(
            threads.threadFor(
                new ThreadReference(ThreadReference.FORWARD, "mh-sent", null, null, null)))
        .hasSize(1);
  }

  @Test
  void aResendsRenewedBundle_leavesTheThreadWithTheTextSentFirst() {
    String id = TestEntries.register(journal, "rec-resent");
    Bundle bundle = careCommunication("mh-resent", "urn:uuid:thread-resent");
    String text = FHIR.newJsonParser().encodeResourceToString(bundle);
    translate(id, bundle, text);
    send(id);

    String renewed = text.replace("{", "{ ");
    journal.renewedBundle(
        id, MessageState.SENT, "bundle-mh-resent", "bundle-2", renewed, "resend 1 of 3");

    assertThat(journal.find(id).orElseThrow().fhirMessage()).isEqualTo(renewed);
    assertThat(ownText("mh-resent")).isEqualTo(text);
    assertThat(repository.find("mh-resent").orElseThrow().message()).isEqualTo(text);
    // A second resend changes nothing more.
    journal.renewedBundle(
        id, MessageState.SENT, "bundle-2", "bundle-3", renewed + " ", "resend 2 of 3");
    assertThat(repository.find("mh-resent").orElseThrow().message()).isEqualTo(text);
  }

  @Test
  void aNewTranslationOfTheEntry_leavesTheEarlierMessagesRowWithItsText() {
    String id = TestEntries.register(journal, "rec-retranslated");
    Bundle first = careCommunication("mh-first", "urn:uuid:thread-first");
    String firstText = FHIR.newJsonParser().encodeResourceToString(first);
    translate(id, first, firstText);
    // An admin's edit sends it back to RECEIVED; it is translated again with new ids.
    journal.transition(
        id, List.of(MessageState.TRANSLATED), MessageState.RECEIVED, "admin", "edited", null);
    Bundle second = careCommunication("mh-second", "urn:uuid:thread-first");
    String secondText = FHIR.newJsonParser().encodeResourceToString(second);
    translate(id, second, secondText);

    assertThat(ownText("mh-first")).isEqualTo(firstText);
    assertThat(ownText("mh-second")).isNull();
    assertThat(repository.find("mh-first").orElseThrow().message()).isEqualTo(firstText);
    assertThat(repository.find("mh-second").orElseThrow().message()).isEqualTo(secondText);
  }

  /**
   * An admin's edit before the message left (TRANSLATED back to RECEIVED) and a new translation:
   * the first MessageHeader never left, so once the entry is sent with the second, only the second
   * continues the thread; a reply or forward naming the first is refused, and the thread's messages
   * (a reply repeats them) do not include it.
   */
  @Test
  void aMessageTranslatedAwayByAnEditBeforeItLeft_isNotContinued_whenTheEntryIsSentWithAnother() {
    String id = TestEntries.register(journal, "rec-edited");
    Bundle first = careCommunication("mh-h1", "urn:uuid:thread-edited");
    translate(id, first, FHIR.newJsonParser().encodeResourceToString(first));
    journal.transition(
        id, List.of(MessageState.TRANSLATED), MessageState.RECEIVED, "admin", "edited", null);
    Bundle second = careCommunication("mh-h2", "urn:uuid:thread-edited");
    String secondText = FHIR.newJsonParser().encodeResourceToString(second);
    translate(id, second, secondText);
    send(id);

    for (String action : List.of(ThreadReference.REPLY, ThreadReference.FORWARD)) {
      assertThatThrownBy(
              () -> threads.threadFor(new ThreadReference(action, "mh-h1", null, null, null)))
          .as(action + " to the MessageHeader that never left")
          .isInstanceOf(PermanentFailure.class)
          .hasMessageContaining("no CareCommunication with MessageHeader id mh-h1");
    }
    List<Bundle> thread =
        threads.threadFor(new ThreadReference(ThreadReference.REPLY, "mh-h2", null, null, null));
    assertThat(thread).hasSize(1);
    assertThat(FHIR.newJsonParser().encodeResourceToString(thread.get(0))).isEqualTo(secondText);
    assertThat(
            threads.threadFor(
                new ThreadReference(
                    ThreadReference.REPLY, null, "urn:uuid:thread-edited", null, null)))
        .hasSize(1);
  }

  /**
   * An attempt of the first message under way (it read the entry VALIDATED with H1 and wrote it)
   * while an admin's edit sent the entry back and it was translated and validated again with H2:
   * the attempt's move to SENT would say H2 left, although only H1 did. The entry stays VALIDATED
   * (its own attempt sends H2), and neither message counts as sent until H2's attempt makes it so.
   */
  @Test
  void anAttemptOfTheFirstMessageEndingAfterANewTranslation_doesNotMakeTheEntrySent() {
    String id = TestEntries.register(journal, "rec-under-way");
    Bundle first = careCommunication("mh-away-1", "urn:uuid:thread-away");
    translate(id, first, FHIR.newJsonParser().encodeResourceToString(first));
    journal.transition(
        id, List.of(MessageState.TRANSLATED), MessageState.VALIDATED, "validate", "valid", null);
    String firstBundle = journal.find(id).orElseThrow().bundleId();
    journal.transition(
        id, List.of(MessageState.VALIDATED), MessageState.RECEIVED, "admin", "edited", null);
    Bundle second = careCommunication("mh-away-2", "urn:uuid:thread-away");
    translate(id, second, FHIR.newJsonParser().encodeResourceToString(second));
    journal.transition(
        id, List.of(MessageState.TRANSLATED), MessageState.VALIDATED, "validate", "valid", null);

    // The first message's attempt ends: it wrote Bundle firstBundle.
    assertThat(
            journal.sent(id, List.of(MessageState.VALIDATED), firstBundle, "/outbox/1", "written"))
        .isFalse();

    assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.VALIDATED);
    ThreadReference reply =
        new ThreadReference(ThreadReference.REPLY, null, "urn:uuid:thread-away", null, null);
    assertThatThrownBy(() -> threads.threadFor(reply)).isInstanceOf(PermanentFailure.class);
    // The second message's own attempt.
    send(id);
    assertThat(
            threads
                .threadFor(reply)
                .get(0)
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .getIdPart())
        .isEqualTo("mh-away-2");
  }

  @Test
  void theThreadRowIsWrittenOnlyWithTheMove() {
    String id = TestEntries.register(journal, "rec-once");
    Bundle first = careCommunication("mh-moved", "urn:uuid:thread-once");
    translate(id, first, FHIR.newJsonParser().encodeResourceToString(first));

    // Translated meanwhile (e.g. by a recovery sweep): this translation moves nothing, writes no
    // row.
    Bundle late = careCommunication("mh-late", "urn:uuid:thread-once");
    assertThat(translate(id, late, FHIR.newJsonParser().encodeResourceToString(late))).isFalse();

    assertThat(repository.find("mh-moved")).isPresent();
    assertThat(repository.find("mh-late")).isEmpty();
  }

  @Test
  void aSentMessageWhoseEntryLostItsText_isRefusedWithTheReason_andAReceivedOneNeedsItsText() {
    String id = TestEntries.register(journal, "rec-lost");
    Bundle bundle = careCommunication("mh-lost", "urn:uuid:thread-lost");
    translate(id, bundle, FHIR.newJsonParser().encodeResourceToString(bundle));
    send(id);
    jdbc.sql("UPDATE journal_entry SET fhir_message = NULL WHERE id = :id")
        .param("id", id)
        .update();

    assertThatThrownBy(
            () ->
                threads.threadFor(
                    new ThreadReference(ThreadReference.REPLY, "mh-lost", null, null, null)))
        .isInstanceOf(PermanentFailure.class)
        .hasMessageContaining("mh-lost is no longer kept");
    assertThatThrownBy(
            () ->
                repository.insert(
                    new StoredMessage(
                        "mh-received",
                        "thread-received",
                        null,
                        "RECEIVED",
                        null,
                        OffsetDateTime.now(),
                        null)))
        .isInstanceOf(DataIntegrityViolationException.class);
  }

  private boolean translate(String id, Bundle bundle, String text) {
    String header = bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
    ThreadRow row = ThreadJournal.sent(bundle).orElseThrow();
    return journal.translated(
        id,
        new Translation(
            "CareCommunication",
            header,
            "bundle-" + header,
            text,
            "JSON",
            "123456789012345",
            "5790000000000",
            "Modtager"),
        row,
        "translated");
  }

  private void send(String id) {
    journal.transition(
        id, List.of(MessageState.TRANSLATED), MessageState.VALIDATED, "validate", "valid", null);
    journal.sent(id, journal.find(id).orElseThrow().bundleId(), "/outbox/" + id, "sent");
  }

  private String ownText(String messageHeaderId) {
    List<String> texts =
        jdbc.sql("SELECT message FROM thread_message WHERE message_header_id = :h")
            .param("h", messageHeaderId)
            .query((rs, n) -> rs.getString(1))
            .list();
    assertThat(texts).hasSize(1);
    return texts.get(0);
  }

  private static Bundle careCommunication(String messageHeaderId, String threadId) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE);
    MessageHeader header = new MessageHeader();
    header.setId(messageHeaderId);
    bundle
        .addEntry()
        .setFullUrl("https://sektorbro.example/fhir/MessageHeader/" + messageHeaderId)
        .setResource(header);
    Communication communication = new Communication();
    communication.setId("c-" + messageHeaderId);
    communication.addIdentifier().setValue(threadId);
    bundle
        .addEntry()
        .setFullUrl("https://sektorbro.example/fhir/Communication/c-" + messageHeaderId)
        .setResource(communication);
    return bundle;
  }
}
