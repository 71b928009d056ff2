package dk.sektorbro.gateway.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The <em>fast</em> validator of one chain: HAPI's findings for a valid message, remembered by the
 * message's {@link Fingerprint} (its structure and every value a MedCom rule can see, with the
 * varying values replaced after passing a per-value check). A message whose fingerprint is known
 * gets those findings in microseconds; any other message, any message that does not fingerprint
 * cleanly, and every invalid message is validated by the reference validator, so a FAILED entry
 * always carries HAPI's own issue list. Remembered findings have the message's own varying values
 * replaced by their position and get the next message's values filled in, so no finding ever
 * carries another message's data.
 */
final class FastChain {

  /** A verdict and whether it came from the remembered fingerprints. */
  record Result(ValidationReport report, boolean remembered) {}

  private static final int MIN_SUBSTITUTED = 4;
  private static final int MIN_NARRATIVE_REPLACED = 8;

  private final ConformanceChain reference;
  private final int capacity;
  private final Map<String, List<ValidationReport.Issue>> valid = new ConcurrentHashMap<>();
  // Templates shadow mode caught answering unlike HAPI: never remembered again.
  private final Set<String> distrusted = ConcurrentHashMap.newKeySet();

  FastChain(ConformanceChain reference, int capacity) {
    this.reference = reference;
    this.capacity = capacity;
  }

  ValidationReport validate(String message) {
    return check(message).report();
  }

  Result check(String message) {
    return check(message, reference::validate);
  }

  /**
   * As {@link #check(String)}, with the reference verdict from {@code referenceVerdict} (tests pass
   * one they already have).
   */
  Result check(String message, Function<String, ValidationReport> referenceVerdict) {
    Fingerprint fingerprint = Fingerprint.of(message);
    String key = fingerprint == null ? null : fingerprint.key();
    if (key != null) {
      List<ValidationReport.Issue> known = valid.get(key);
      if (known != null) {
        return new Result(new ValidationReport(reference.name(), fill(known, fingerprint)), true);
      }
    }
    ValidationReport report = referenceVerdict.apply(message);
    if (key != null && report.valid() && !distrusted.contains(key)) {
      List<ValidationReport.Issue> generic = generalise(report.issues(), fingerprint);
      if (generic != null) {
        if (valid.size() >= capacity) {
          valid.clear(); // templates are few; a flood of new ones just starts the memory afresh
        }
        valid.put(key, generic);
      }
    }
    return new Result(report, false);
  }

  /**
   * Remembers findings for the template of {@code message} as they are (tests plant a wrong answer
   * with it).
   */
  void remember(String message, List<ValidationReport.Issue> issues) {
    valid.put(Fingerprint.of(message).key(), List.copyOf(issues));
  }

  /**
   * Forgets the template of {@code message} for good: shadow mode found its remembered answer
   * unlike HAPI's, so every later message of it goes to HAPI (it would be learnt again from the
   * next valid one, and answered wrongly again).
   */
  void distrust(String message) {
    Fingerprint fingerprint = Fingerprint.of(message);
    if (fingerprint != null) {
      String key = fingerprint.key();
      distrusted.add(key);
      valid.remove(key);
    }
  }

  /**
   * Whether a message of this template would be answered from memory (the corpus checks only those
   * against HAPI).
   */
  boolean knows(String message) {
    Fingerprint fingerprint = Fingerprint.of(message);
    return fingerprint != null && valid.containsKey(fingerprint.key());
  }

  ConformanceChain reference() {
    return reference;
  }

  int remembered() {
    return valid.size();
  }

  /**
   * The findings with this message's own values (UUIDs, times, CPR, free text) replaced by their
   * position, so they can be filled in with the next message's values (a finding that quotes a
   * value never carries another message's data; only the message text can differ, never the
   * severity, location or id).
   */
  static List<ValidationReport.Issue> generalise(
      List<ValidationReport.Issue> issues, Fingerprint f) {
    if (issues.isEmpty()) {
      return List.of();
    }
    List<String> values = f.opaqueValues();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt((Integer i) -> values.get(i).length()).reversed());
    List<ValidationReport.Issue> out = new ArrayList<>();
    for (ValidationReport.Issue issue : issues) {
      String message = issue.message();
      String location = issue.location();
      for (int i : order) {
        String value = values.get(i);
        // Short values are not replaced: they occur in any text by chance. Narrative text nodes
        // are mostly the gateway's own labels, so only long ones are.
        int minimum = f.kind(i) == 'h' ? MIN_NARRATIVE_REPLACED : MIN_SUBSTITUTED;
        if (value.length() >= minimum) {
          message = replace(message, value, i);
          // A location names values only by resource id (".../*Patient/<id>*/..."): a text equal
          // to a word of the path ("episodeOfCare") must not turn into the next message's text.
          if (f.kind(i) == 'u') {
            location = replace(location, value, i);
          }
        }
      }
      out.add(new ValidationReport.Issue(issue.severity(), location, message, issue.messageId()));
    }
    return List.copyOf(out);
  }

  static List<ValidationReport.Issue> fill(List<ValidationReport.Issue> issues, Fingerprint f) {
    if (issues.isEmpty()) {
      return issues;
    }
    List<ValidationReport.Issue> out = new ArrayList<>(issues.size());
    for (ValidationReport.Issue issue : issues) {
      out.add(
          new ValidationReport.Issue(
              issue.severity(),
              fill(issue.location(), f),
              fill(issue.message(), f),
              issue.messageId()));
    }
    return out;
  }

  private static String fill(String text, Fingerprint f) {
    if (text == null || text.indexOf(TOKEN_START) < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 32);
    int at = 0;
    int start;
    while ((start = text.indexOf(TOKEN_START, at)) >= 0) {
      int end = text.indexOf(TOKEN_END, start);
      out.append(text, at, start)
          .append(f.opaqueValues().get(Integer.parseInt(text.substring(start + 1, end))));
      at = end + 1;
    }
    return out.append(text, at, text.length()).toString();
  }

  private static final char TOKEN_START = '\u0003';
  private static final char TOKEN_END = '\u0004';

  private static String replace(String text, String value, int index) {
    return text == null
        ? null
        : text.replace(value, TOKEN_START + Integer.toString(index) + TOKEN_END);
  }
}
