package dk.sektorbro.benchmarks;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.JournalEvent;
import dk.sektorbro.gateway.journal.JournalQuery;
import dk.sektorbro.gateway.journal.MessageState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Intake-to-postbox latency per message: from the moment the file was dropped to its SENT event,
 * and where that time went, from the journal's own event times: the inbox (drop to RECEIVED), gates
 * and translation (to TRANSLATED), validation (to VALIDATED), delivery (to SENT). Each segment
 * includes the wait in its stage's queue.
 */
final class Latencies {

  /** The events that end each segment, in order; the first segment starts at the drop. */
  private static final List<MessageState> MARKS =
      List.of(
          MessageState.RECEIVED,
          MessageState.TRANSLATED,
          MessageState.VALIDATED,
          MessageState.SENT);

  private static final List<String> SEGMENTS =
      List.of("inbox (drop to RECEIVED)", "gates + translate", "validate", "deliver");

  /** One message's segments in milliseconds, in the order of {@link #SEGMENTS}; last = total. */
  /** One message: its segments and total (ms), and when it was read from the inbox and sent. */
  record Trace(long[] segments, long total, Instant received, Instant sent) {}

  private Latencies() {}

  static List<Trace> traces(Journal journal, Map<String, Instant> dropped) {
    List<Trace> traces = new ArrayList<>();
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
        Map<MessageState, Instant> at = new EnumMap<>(MessageState.class);
        for (JournalEvent event : journal.history(entry.id())) {
          at.putIfAbsent(event.state(), event.occurredAt().toInstant());
        }
        if (!at.keySet().containsAll(MARKS)) {
          continue;
        }
        long[] segments = new long[MARKS.size()];
        Instant from = droppedAt;
        for (int i = 0; i < MARKS.size(); i++) {
          Instant to = at.get(MARKS.get(i));
          segments[i] = Duration.between(from, to).toMillis();
          from = to;
        }
        traces.add(
            new Trace(
                segments,
                Duration.between(droppedAt, at.get(MessageState.SENT)).toMillis(),
                at.get(MessageState.RECEIVED),
                at.get(MessageState.SENT)));
      }
    } while (entries.size() == 200);
    return traces;
  }

  /**
   * Seconds from the first message read from the inbox to the last one sent: the flow's own time,
   * without the inbox's wait for a file to be stable (gateway.intake.file-stable-after) before the
   * first read, which delays every file of a burst by the same amount and so is latency, not rate.
   */
  static double flowSeconds(List<Trace> traces) {
    Instant first = traces.stream().map(Trace::received).min(Instant::compareTo).orElseThrow();
    Instant last = traces.stream().map(Trace::sent).max(Instant::compareTo).orElseThrow();
    return Duration.between(first, last).toNanos() / 1e9;
  }

  static List<Long> totals(List<Trace> traces) {
    return traces.stream().map(Trace::total).toList();
  }

  /**
   * Per segment: p50 and p99 over all messages, and its mean share in the slowest 1 % (what makes
   * the tail).
   */
  static void printBreakdown(List<Trace> traces) {
    if (traces.isEmpty()) {
      return;
    }
    List<Trace> slowest =
        traces.stream()
            .sorted(Comparator.comparingLong(Trace::total).reversed())
            .limit(Math.max(1, traces.size() / 100))
            .toList();
    System.out.println("latency by segment (journal event times; each includes its queue wait):");
    for (int i = 0; i < SEGMENTS.size(); i++) {
      int segment = i;
      List<Long> values = traces.stream().map(t -> t.segments()[segment]).toList();
      double tail = slowest.stream().mapToLong(t -> t.segments()[segment]).average().orElse(0);
      System.out.printf(
          Locale.ROOT,
          "  %-26s p50 %5d ms, p99 %5d ms, mean in the slowest 1 %% %7.1f ms%n",
          SEGMENTS.get(i),
          Stats.percentile(values, 50),
          Stats.percentile(values, 99),
          tail);
    }
  }
}
