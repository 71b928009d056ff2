package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.admin.AdminActions;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An administrator's action races a delivery attempt under way: the retry's run read the entry
 * (RETRYING), the administrator discarded it, and the attempt went on with what it had read. The
 * journal is where an operator learns what a recipient may hold, so whatever the attempt wrote to
 * the postbox is in the entry's history, whichever state the entry is in by then.
 */
class AttemptUnderWayTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";

  @Autowired Journal journal;
  @Autowired AdminActions admin;
  @Autowired DeliveryStage stage;

  @Test
  void aMessageWrittenByAnAttemptUnderWay_isInTheHistory_evenWhenTheEntryMovedMeanwhile()
      throws Exception {
    sampleConsentsOnce();
    AtomicReference<JournalEntry> read = new AtomicReference<>();
    String id =
        submitWhileBlocked(
            GP_GLN,
            "nordby-socialpsykiatri",
            TestFiles.medicationQuestion(freshRecordId("SP-UNDER-WAY")),
            blocked -> {
              // The retry's run has read the entry...
              read.set(journal.find(blocked).orElseThrow());
              // ...when the administrator discards it.
              admin.discard("admin", blocked, "must not go");
            });
    JournalEntry entry = read.get();
    assertThat(entry.state()).isEqualTo(MessageState.RETRYING);

    // The attempt goes on with the entry as it read it (the postbox is free again).
    stage.attempt(entry);

    assertThat(journal.find(id).orElseThrow().state()).isEqualTo(MessageState.DISCARDED);
    Path file =
        outbox(GP_GLN)
            .resolve(
                entry.messageHeaderId()
                    + "."
                    + FhirFormat.valueOf(entry.fhirFormat()).fileExtension());
    boolean inHistory =
        journal.history(id).stream()
            .map(JournalEvent::reason)
            .anyMatch(reason -> reason.contains("written to " + file));
    assertThat(inHistory)
        .as("the postbox holds the message (%s) exactly when the history says so", file)
        .isEqualTo(Files.exists(file));
  }
}
