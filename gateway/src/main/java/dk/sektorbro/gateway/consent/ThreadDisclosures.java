package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.addressing.Identifiers;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.record.CanonicalRecord.ThreadReference;
import dk.sektorbro.gateway.threads.ThreadJournal;
import dk.sektorbro.gateway.threads.ThreadRepository;
import dk.sektorbro.gateway.threads.ThreadRepository.StoredMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * What a reply or forward discloses again: MedCom repeats the earlier messages of the thread in it
 * (their text segments, a forward their attachments too), so the earlier messages the gateway sent
 * to another recipient are disclosed anew, to this one. Their information categories, as their own
 * records declared them, are part of this disclosure. A recipient that received an earlier message
 * learns nothing new from it. A message the gateway received has no categories it knows: the
 * record's declared categories must cover it, and the decision says so.
 *
 * <p>Before translation the thread is looked up as translation will (the message answered and the
 * thread up to it); once the message is built, the MessageHeaders it repeats are read from the
 * message itself, so the recheck before delivery decides on exactly what goes. A forward of chosen
 * segments counts the whole thread: the gateway does not map segments to messages here.
 */
@Component
public class ThreadDisclosures {

  private static final Pattern HEADER_REFERENCE =
      Pattern.compile(
          "MessageHeader/([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})");

  private final ThreadRepository threads;
  private final Journal journal;
  private final ObjectMapper json;

  public ThreadDisclosures(ThreadRepository threads, Journal journal, ObjectMapper json) {
    this.threads = threads;
    this.journal = journal;
    this.json = json;
  }

  /** One earlier message the record's message repeats, and what it disclosed (if known). */
  public record Repeated(
      String messageHeaderId,
      String journalEntryId,
      String recipientSor,
      List<String> categories,
      boolean received) {}

  /** The earlier messages this entry's message repeats; empty for a record that starts a thread. */
  public List<Repeated> of(JournalEntry entry, CanonicalRecord record) {
    ThreadReference ref = record.thread();
    if (ref == null) {
      return List.of();
    }
    String own = entry == null ? null : entry.messageHeaderId();
    List<Repeated> repeated = new ArrayList<>();
    for (StoredMessage m : earlier(entry, ref)) {
      if (m.messageHeaderId().equals(own)) {
        continue;
      }
      if (ThreadJournal.RECEIVED.equals(m.direction()) || m.journalEntryId() == null) {
        repeated.add(new Repeated(m.messageHeaderId(), null, null, List.of(), true));
        continue;
      }
      journal
          .find(m.journalEntryId())
          .ifPresent(
              sent ->
                  repeated.add(
                      new Repeated(
                          m.messageHeaderId(),
                          sent.id(),
                          Identifiers.normalise(sent.recipientSor()),
                          categories(sent.canonicalRecord()),
                          false)));
    }
    return repeated;
  }

  /**
   * The thread's earlier messages: those the built message names (its Provenances), or before it is
   * built, the thread as translation will take it. Nothing when it cannot be found: translation
   * then fails, and the recheck before delivery reads the built message.
   */
  private List<StoredMessage> earlier(JournalEntry entry, ThreadReference ref) {
    if (entry != null && entry.fhirMessage() != null) {
      Set<String> headers = new LinkedHashSet<>();
      Matcher m = HEADER_REFERENCE.matcher(entry.fhirMessage());
      while (m.find()) {
        headers.add(m.group(1).toLowerCase());
      }
      return headers.stream().map(threads::find).flatMap(Optional::stream).toList();
    }
    return target(ref).map(t -> threads.threadUpTo(t.threadId(), t.recordedAt())).orElse(List.of());
  }

  // As ThreadJournal finds the message a reply or forward continues, without failing.
  private Optional<StoredMessage> target(ThreadReference ref) {
    if (ref.messageHeaderId() != null) {
      return threads.find(ref.messageHeaderId());
    }
    if (ref.threadId() != null) {
      String thread =
          ref.threadId().startsWith("urn:uuid:") ? ref.threadId() : "urn:uuid:" + ref.threadId();
      return threads.latestOfThread(thread);
    }
    return ref.episodeOfCareId() == null
        ? Optional.empty()
        : threads.latestOfEpisode(ref.episodeOfCareId());
  }

  private List<String> categories(String canonicalJson) {
    if (canonicalJson == null) {
      return List.of();
    }
    try {
      JsonNode categories = json.readTree(canonicalJson).path("informationCategories");
      List<String> codes = new ArrayList<>();
      categories.forEach(c -> codes.add(c.asText()));
      return codes;
    } catch (IOException e) {
      return List.of();
    }
  }
}
