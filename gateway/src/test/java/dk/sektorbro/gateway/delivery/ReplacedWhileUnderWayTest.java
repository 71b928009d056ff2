package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.admin.AdminActions;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import dk.sektorbro.gateway.threads.ThreadRepository;
import java.time.Duration;
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

  @Autowired Journal journal;
  @Autowired AdminActions admin;
  @Autowired DeliveryStage stage;
  @Autowired DeliverySchedule schedule;
  @Autowired ThreadRepository threads;

  @Test
  void anAttemptOfTheMessageAnEditReplaced_leavesTheNewMessageItsOwnDelivery() throws Exception {
    sampleConsentsOnce();
    AtomicReference<JournalEntry> read = new AtomicReference<>();
    String id =
        submitWhileBlocked(
            GP_GLN,
            "nordby-socialpsykiatri",
            TestFiles.medicationQuestion(freshRecordId("SP-REPLACED")),
            blocked -> {
              // The retry's run has read the entry...
              JournalEntry first = journal.find(blocked).orElseThrow();
              read.set(first);
              // ...when an administrator edits it: translated anew, and its own first attempt
              // fails on the blocked postbox.
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
}
