package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.admin.AdminActions;
import dk.sektorbro.gateway.consent.ConsentGuard;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import dk.sektorbro.gateway.threads.ThreadRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A delivery attempt of a message that an administrator's edit replaced while the attempt was under
 * way: the retry's run read the entry (RETRYING, MessageHeader H1), the administrator edited it, it
 * was translated anew (H2) and its own first attempt failed on the still blocked postbox (RETRYING
 * again, now with H2). Then the run goes on with what it read. Whatever that attempt ends in, it is
 * about H1: the entry, which carries H2, must not be taken for sent or failed by it, and keeps the
 * retry that will deliver H2.
 */
class ReplacedWhileUnderWayTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";
  private static final String GP_SOR = "990051000016007";
  private static final String DISTRICT_GLN = "5790009900061";
  private static final String DISTRICT_SOR = "990061000016005";

  @Autowired Journal journal;
  @Autowired AdminActions admin;
  @Autowired DeliveryStage stage;
  @Autowired DeliverySchedule schedule;
  @Autowired ThreadRepository threads;
  @Autowired DeliveryBookkeeping bookkeeping;

  @Test
  void anAttemptOfTheMessageAnEditReplaced_leavesTheNewMessageItsOwnDelivery() throws Exception {
    AtomicReference<JournalEntry> read = new AtomicReference<>();
    String id = replacedWhileRetrying("SP-REPLACED", read);
    JournalEntry first = read.get();
    JournalEntry replaced = journal.find(id).orElseThrow();
    assertThat(first.state()).isEqualTo(MessageState.RETRYING);

    // The run goes on with the entry as it read it (the postbox is free again).
    stage.attempt(first);

    JournalEntry after = journal.find(id).orElseThrow();
    assertThat(after.state()).as("the new message has not left").isEqualTo(MessageState.RETRYING);
    assertThat(after.messageHeaderId()).isEqualTo(replaced.messageHeaderId());
    assertThat(schedule.find(id))
        .as("the retry that delivers the new message")
        .hasValueSatisfying(
            due -> assertThat(due.work().purpose()).isEqualTo(DeliveryWork.Purpose.SEND));
    assertThat(journal.history(id).stream().map(JournalEvent::reason))
        .as("the history says what the attempt of the replaced Bundle did")
        .anyMatch(reason -> reason.contains("Bundle " + first.bundleId()));
    assertThat(threads.usable(first.messageHeaderId())).isFalse();
    assertThat(threads.usable(after.messageHeaderId())).isFalse();
  }

  /**
   * A retry's run has read the entry (RETRYING, H1) when an administrator edits its text: it is
   * translated anew (H2) and its own first attempt fails on the still blocked postbox (RETRYING,
   * H2). {@code read} gets the entry as the run read it; returns the entry's id (the postbox is
   * free again).
   */
  private String replacedWhileRetrying(String recordPrefix, AtomicReference<JournalEntry> read)
      throws IOException {
    sampleConsentsOnce();
    return submitWhileBlocked(
        GP_GLN,
        "nordby-socialpsykiatri",
        TestFiles.medicationQuestion(freshRecordId(recordPrefix)),
        blocked -> {
          JournalEntry first = journal.find(blocked).orElseThrow();
          read.set(first);
          admin.editAndRetry(
              "admin", blocked, Map.of("text", "Rettet tekst til lægen."), "wrong text");
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> {
                    JournalEntry now = journal.find(blocked).orElseThrow();
                    return now.state() == MessageState.RETRYING
                        && !first.messageHeaderId().equals(now.messageHeaderId());
                  });
        });
  }

  /**
   * The run's attempt had its bytes before the edit (fixed, on their way), and the transport fails
   * on them now: a transient failure of the old message, which neither renames the new message's
   * state nor moves or counts into its retry.
   */
  @Test
  void aTransportFailureOfTheMessageAnEditReplaced_leavesTheNewMessagesRetryAsItWas()
      throws Exception {
    AtomicReference<JournalEntry> read = new AtomicReference<>();
    String id = replacedWhileRetrying("SP-REPLACED-TRANSIENT", read);
    JournalEntry first = read.get();
    JournalEntry replaced = journal.find(id).orElseThrow();
    DeliverySchedule.Scheduled retry = schedule.find(id).orElseThrow();

    bookkeeping.failedTransiently(first, "NoSuchFileException on the postbox folder");

    JournalEntry after = journal.find(id).orElseThrow();
    assertThat(after.state()).isEqualTo(MessageState.RETRYING);
    assertThat(after.messageHeaderId()).isEqualTo(replaced.messageHeaderId());
    assertThat(after.stateReason())
        .as("the new message's state says what its own attempt met")
        .isEqualTo(replaced.stateReason());
    assertThat(schedule.find(id))
        .as("the new message's retry, as its own attempt left it")
        .hasValueSatisfying(
            due -> {
              assertThat(due.work()).isEqualTo(retry.work());
              assertThat(due.dueAt()).isEqualTo(retry.dueAt());
            });
    assertThat(journal.history(id).stream().map(JournalEvent::reason))
        .as("the history says what the attempt of the replaced Bundle met")
        .anyMatch(reason -> reason.contains("Bundle " + first.bundleId()));
  }

  /**
   * The same staging, but the run's guards stop the message it read: the citizen withdrew the
   * consent to the GP, so the administrator sent the message to the district psychiatry instead
   * (edit-and-retry of the recipient; its first attempt fails on that blocked postbox too). The
   * run's consent recheck of the old message (to the GP) stops it; that stop is about the old
   * message, not the new one, which keeps its state and its retry.
   */
  @Test
  void aGuardsStopOfTheMessageAnEditReplaced_leavesTheNewMessageItsOwnDelivery() throws Exception {
    String cpr = freshCpr();
    String toGp =
        SampleConsents.record(adminClient(), cpr, GP_SOR, "current-treatment", MEDICATION);
    byte[] record =
        new String(
                TestFiles.medicationQuestion(freshRecordId("SP-REPLACED-HELD")),
                StandardCharsets.UTF_8)
            .replace("280252-7034", hyphenated(cpr))
            .getBytes(StandardCharsets.UTF_8);
    AtomicReference<JournalEntry> read = new AtomicReference<>();
    String id =
        submitWhileBlocked(
            GP_GLN,
            "nordby-socialpsykiatri",
            record,
            blocked -> {
              JournalEntry first = journal.find(blocked).orElseThrow();
              read.set(first);
              SampleConsents.record(
                  adminClient(), cpr, DISTRICT_SOR, "current-treatment", MEDICATION);
              try (BlockedPostbox district = blockPostbox(DISTRICT_GLN)) {
                admin.editAndRetry(
                    "admin",
                    blocked,
                    Map.of(
                        "recipient.sor", DISTRICT_SOR,
                        "recipient.gln", DISTRICT_GLN,
                        "recipient.name", "Distriktspsykiatrien Nordby"),
                    "consent to the GP withdrawn");
                await()
                    .atMost(Duration.ofSeconds(60))
                    .until(
                        () -> {
                          JournalEntry now = journal.find(blocked).orElseThrow();
                          return now.state() == MessageState.RETRYING
                              && !first.messageHeaderId().equals(now.messageHeaderId());
                        });
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              GatewayClient.Response revoked =
                  adminClient()
                      .post(
                          "/api/v1/consents/" + toGp + "/revoke",
                          "application/json",
                          "{\"revokedBy\": \"citizen\"}".getBytes(StandardCharsets.UTF_8));
              assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
            });
    JournalEntry first = read.get();
    JournalEntry replaced = journal.find(id).orElseThrow();
    assertThat(first.state()).isEqualTo(MessageState.RETRYING);
    assertThat(first.recipientGln()).isEqualTo(GP_GLN);
    assertThat(replaced.recipientGln()).isEqualTo(DISTRICT_GLN);

    // The run goes on with the entry as it read it: its consent recheck stops the old message.
    stage.attempt(first);

    JournalEntry after = journal.find(id).orElseThrow();
    assertThat(after.state())
        .as("the new message is not stopped by the old one's recheck")
        .isEqualTo(MessageState.RETRYING);
    assertThat(after.messageHeaderId()).isEqualTo(replaced.messageHeaderId());
    assertThat(schedule.find(id))
        .as("the retry that delivers the new message")
        .hasValueSatisfying(
            due -> assertThat(due.work().purpose()).isEqualTo(DeliveryWork.Purpose.SEND));
    assertThat(journal.history(id))
        .as("the history says what stopped the attempt of the replaced Bundle")
        .anyMatch(
            event ->
                event.reason().contains("Bundle " + first.bundleId())
                    && event.stage().equals(ConsentGuard.NAME));
  }

  private static final List<String> MEDICATION = List.of("medication");
}
