package dk.sektorbro.benchmarks;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Intake-to-postbox latency per message: from the moment the file was dropped to its SENT event.
 */
final class Latencies {

  private Latencies() {}

  static List<Long> intakeToPostbox(Journal journal, Map<String, Instant> dropped) {
    List<Long> millis = new ArrayList<>();
    int page = 0;
    List<JournalEntry> entries;
    do {
      entries =
          journal.search(new JournalQuery(MessageState.SENT, null, null, null, null, page++, 200));
      for (JournalEntry entry : entries) {
        Instant droppedAt = dropped.get(entry.originalName());
        if (droppedAt == null) {
          continue;
        }
        for (JournalEvent event : journal.history(entry.id())) {
          if (event.state() == MessageState.SENT) {
            millis.add(Duration.between(droppedAt, event.occurredAt().toInstant()).toMillis());
          }
        }
      }
    } while (entries.size() == 200);
    return millis;
  }
}
