package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.admin.AdminActions;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder.AckIssue;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Acknowledgement correlation against what really happens around it: another acknowledgement
 * committed while this one waits for the entry's row, and an acknowledgement that names no message.
 * Sent messages go to the file postbox and wait there (no recipient answers in this application).
 */
class AcknowledgementCorrelationTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Autowired Journal journal;
  @Autowired AcknowledgementService acknowledgements;
  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;
  @Autowired AdminActions admin;

  /**
   * A fatal-error whose move lost the race to an ok committed meanwhile (another channel, another
   * node) changed nothing: it was counted as applied, with no trace in the history or among the
   * unmatched acknowledgements, so a recipient's rejection vanished.
   */
  @Test
  void anAcknowledgementOvertakenByAnother_isJournaledAsIgnored_notCountedAsApplied()
      throws Exception {
    JournalEntry sent = sentMessage("SP-ACK-RACE");
    byte[] fatal = ack(sent, "fatal-error").getBytes(StandardCharsets.UTF_8);
    CompletableFuture<AckOutcome> outcome;
    try (Connection other = dataSource.getConnection()) {
      other.setAutoCommit(false);
      try (PreparedStatement lock =
          other.prepareStatement("SELECT id FROM journal_entry WHERE id = ? FOR UPDATE")) {
        lock.setString(1, sent.id());
        lock.executeQuery().close();
      }
      outcome = CompletableFuture.supplyAsync(() -> acknowledgements.receive(fatal, "FILE"));
      // The fatal-error has read the entry (SENT) and waits for its row...
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  jdbc.sql(
                              "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                  + " AND query LIKE '%UPDATE journal_entry SET state%'")
                          .query(Long.class)
                          .single()
                      > 0);
      // ...while another node's ok moves it on and commits.
      try (PreparedStatement ok =
          other.prepareStatement(
              "UPDATE journal_entry SET state = 'ACKNOWLEDGED' WHERE id = ? AND state = 'SENT'")) {
        ok.setString(1, sent.id());
        assertThat(ok.executeUpdate()).isEqualTo(1);
      }
      other.commit();
    }

    assertThat(outcome.get(60, TimeUnit.SECONDS)).isEqualTo(AckOutcome.DUPLICATE);
    assertThat(journal.find(sent.id()).orElseThrow().state()).isEqualTo(MessageState.ACKNOWLEDGED);
    assertThat(
            jdbc.sql("SELECT reason FROM unmatched_acknowledgement WHERE entry_id = :e")
                .param("e", sent.id())
                .query(String.class)
                .single())
        .contains("fatal-error")
        .contains("moved on to ACKNOWLEDGED meanwhile");
    assertThat(journal.history(sent.id()))
        .extracting(JournalEvent::reason)
        .anyMatch(r -> r.contains("duplicate acknowledgement (fatal-error"));
  }

  /**
   * An acknowledgement without response identifier and code names no message: it was taken for
   * "another FHIR message" and answered with an acknowledgement of its own (MedCom KR2: never). Now
   * it is refused as unreadable and recorded.
   */
  @Test
  void anAcknowledgementWithoutResponse_isRecorded_andNotAnswered() throws Exception {
    JournalEntry sent = sentMessage("SP-ACK-NO-RESPONSE");
    Bundle ack = (Bundle) FHIR.newJsonParser().parseResource(ack(sent, "ok"));
    MessageHeader header = (MessageHeader) ack.getEntryFirstRep().getResource();
    String ackHeaderId = header.getIdPart();
    header.setResponse(null);
    Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(ack).getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("\"resourceType\":\"Bundle\"");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM inbound_message WHERE message_header_id = :h")
                .param("h", ackHeaderId)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(
            jdbc.sql("SELECT reason FROM unmatched_acknowledgement ORDER BY id DESC LIMIT 1")
                .query(String.class)
                .single())
        .contains("without MessageHeader.response");
    assertThat(journal.find(sent.id()).orElseThrow().state()).isEqualTo(MessageState.SENT);
  }

  /**
   * A byte order mark before an acknowledgement (as Windows tools write files): the reader took
   * text that does not start with "<" for JSON, so the acknowledgement was unreadable, and the
   * message was resent and in the end failed although the recipient had answered it.
   */
  @Test
  void anXmlAcknowledgementWithAByteOrderMark_inTheInboundFolder_isApplied() throws Exception {
    JournalEntry sent = sentMessage("SP-ACK-BOM");
    Bundle ack = (Bundle) FHIR.newJsonParser().parseResource(ack(sent, "ok"));
    String xml = "\uFEFF" + FHIR.newXmlParser().encodeResourceToString(ack);
    Path folder = Files.createDirectories(dataDir().resolve("inbound"));
    Path file = folder.resolve("ack-" + sent.id() + ".xml");
    Path written = folder.resolve("ack-" + sent.id() + ".xml.tmp");
    Files.writeString(written, xml, StandardCharsets.UTF_8);
    Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);

    await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(file));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> journal.find(sent.id()).orElseThrow().state() != MessageState.SENT);
    assertThat(journal.find(sent.id()).orElseThrow().state()).isEqualTo(MessageState.ACKNOWLEDGED);
  }

  /**
   * An administrator edited a message whose first translation (MessageHeader H1) may have left; the
   * entry carries H2 now. The recipient's fatal-error for H1 was stored as "no sent message" with
   * no entry: the message's history never showed that the recipient had answered. It must not close
   * H2 (other content), so it is noted on the entry, with its OperationOutcome.
   */
  @Test
  void anAcknowledgementOfTheTranslationAnEditReplaced_isNotedOnItsMessage_notApplied()
      throws Exception {
    sampleConsentsOnce();
    AtomicReference<JournalEntry> first = new AtomicReference<>();
    String id =
        submitWhileBlocked(
            GP_GLN,
            "nordby-socialpsykiatri",
            TestFiles.medicationQuestion(freshRecordId("SP-ACK-EDITED")),
            blocked -> {
              first.set(journal.find(blocked).orElseThrow());
              admin.editAndRetry(
                  "admin", blocked, Map.of("text", "Rettet tekst til lægen."), "wrong text");
              await()
                  .atMost(Duration.ofSeconds(60))
                  .until(
                      () ->
                          !first
                              .get()
                              .messageHeaderId()
                              .equals(journal.find(blocked).orElseThrow().messageHeaderId()));
            });
    // The postbox works again: the admin has the queued attempt made now, not after its back-off
    // (a minute of the suite). Its answer is not this test's subject: should the schedule's own
    // attempt have come first, the message is SENT already and the retry is refused.
    retry(adminClient(), id, "postkassen virker igen");
    awaitState(id, "SENT");
    String earlier = first.get().messageHeaderId();

    AckOutcome outcome =
        acknowledgements.receive(
            ack(first.get(), "fatal-error").getBytes(StandardCharsets.UTF_8), "FILE");

    assertThat(outcome).isEqualTo(AckOutcome.UNMATCHED);
    JournalEntry now = journal.find(id).orElseThrow();
    assertThat(now.state()).isEqualTo(MessageState.SENT);
    assertThat(now.messageHeaderId()).isNotEqualTo(earlier);
    assertThat(journal.history(id))
        .filteredOn(e -> e.reason().contains("earlier translation"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason())
                  .contains("fatal-error")
                  .contains(earlier)
                  .contains(now.messageHeaderId());
              assertThat(e.detail()).contains("OperationOutcome");
            });
    assertThat(
            jdbc.sql(
                    "SELECT entry_id FROM unmatched_acknowledgement WHERE response_identifier = :r")
                .param("r", earlier)
                .query(String.class)
                .single())
        .isEqualTo(id);
  }

  /** A message delivered to the GP's postbox and waiting for its acknowledgement. */
  private JournalEntry sentMessage(String prefix) {
    sampleConsentsOnce();
    String id =
        submitJson("nordby-socialpsykiatri", TestFiles.medicationQuestion(freshRecordId(prefix)));
    awaitState(id, "SENT");
    JournalEntry entry = journal.find(id).orElseThrow();
    assertThat(entry.recipientGln()).isEqualTo(GP_GLN);
    return entry;
  }

  /** The recipient's acknowledgement, built from the message it received (as a hospital would). */
  private static String ack(JournalEntry sent, String code) {
    Bundle received =
        (Bundle)
            (sent.fhirMessage().stripLeading().startsWith("<")
                    ? FHIR.newXmlParser()
                    : FHIR.newJsonParser())
                .parseResource(sent.fhirMessage());
    List<AckIssue> issues =
        "ok".equals(code)
            ? List.of()
            : List.of(AckIssue.fhir("MSG_RESOURCE_REQUIRED", "a required element is missing"));
    return FHIR.newJsonParser()
        .encodeResourceToString(
            AcknowledgementBuilder.build(
                received, code, issues, new Date(), "https://hospital.example/fhir"));
  }
}
