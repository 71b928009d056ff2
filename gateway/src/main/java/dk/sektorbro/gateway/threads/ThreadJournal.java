package dk.sektorbro.gateway.threads;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.journal.ThreadRow;
import dk.sektorbro.gateway.medcom.CareCommunicationThreads;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.record.CanonicalRecord.ThreadReference;
import dk.sektorbro.gateway.threads.ThreadRepository.StoredMessage;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Service;

/**
 * The CareCommunication threads the gateway knows: what it received and what it sent. A record that
 * replies to or forwards a message gets the thread from here; every failure to find it is a {@link
 * PermanentFailure} that names the ids asked for (never content).
 */
@Service
public class ThreadJournal {

  public static final String RECEIVED = "RECEIVED";
  public static final String SENT = "SENT";

  private final ThreadRepository repository;
  private final FhirContext fhir;
  private final Clock clock;

  public ThreadJournal(ThreadRepository repository, FhirContext fhir, Clock clock) {
    this.repository = repository;
    this.fhir = fhir;
    this.clock = clock;
  }

  /** Keeps a valid CareCommunication received from another organisation, with its text. */
  public void rememberReceived(Bundle bundle, String text) {
    rowOf(bundle)
        .ifPresent(
            row ->
                repository.insert(
                    new StoredMessage(
                        row.messageHeaderId(),
                        row.threadId(),
                        row.episodeOfCareId(),
                        RECEIVED,
                        null,
                        OffsetDateTime.now(clock),
                        text)));
  }

  /**
   * The thread row of a CareCommunication the gateway built, for the journal to write with the move
   * to TRANSLATED (Journal#translated): its text is the journal entry's message, not stored twice.
   * It counts once its journal entry is sent. Empty when the message has no thread id.
   */
  public static Optional<ThreadRow> sent(Bundle bundle) {
    return rowOf(bundle);
  }

  private static Optional<ThreadRow> rowOf(Bundle bundle) {
    if (bundle.getEntry().isEmpty()
        || !(bundle.getEntryFirstRep().getResource() instanceof MessageHeader header)) {
      return Optional.empty();
    }
    Communication communication = first(bundle, Communication.class);
    if (communication == null || !communication.getIdentifierFirstRep().hasValue()) {
      return Optional.empty();
    }
    return Optional.of(
        new ThreadRow(
            header.getIdPart(),
            communication.getIdentifierFirstRep().getValue(),
            episodeOf(bundle)));
  }

  /**
   * The thread a reply or forward continues, oldest first; the last one is the message answered.
   *
   * @throws PermanentFailure when no such message is known, or a reply is not to the latest message
   */
  public List<Bundle> threadFor(ThreadReference ref) {
    StoredMessage target = target(ref);
    if (ThreadReference.REPLY.equals(ref.action())) {
      List<String> later = repository.laterInThread(target.threadId(), target.recordedAt());
      if (!later.isEmpty()) {
        throw new PermanentFailure(
            "a reply goes to the latest message of its thread (MedCom governance rules 3-5);"
                + " MessageHeader "
                + target.messageHeaderId()
                + " is followed by "
                + String.join(", ", later));
      }
    }
    return repository.threadUpTo(target.threadId(), target.recordedAt()).stream()
        .map(this::parse)
        .toList();
  }

  private StoredMessage target(ThreadReference ref) {
    if (ref.messageHeaderId() != null) {
      Optional<StoredMessage> m = repository.find(ref.messageHeaderId());
      if (m.isEmpty() || !repository.usable(ref.messageHeaderId())) {
        throw new PermanentFailure(
            "no CareCommunication with MessageHeader id "
                + ref.messageHeaderId()
                + " has been received or sent by this gateway");
      }
      return m.get();
    }
    if (ref.threadId() != null) {
      String thread =
          ref.threadId().startsWith("urn:uuid:") ? ref.threadId() : "urn:uuid:" + ref.threadId();
      return repository
          .latestOfThread(thread)
          .orElseThrow(
              () ->
                  new PermanentFailure(
                      "no CareCommunication of thread "
                          + thread
                          + " has been received or sent by this gateway"));
    }
    return repository
        .latestOfEpisode(ref.episodeOfCareId())
        .orElseThrow(
            () ->
                new PermanentFailure(
                    "no CareCommunication about episode of care "
                        + ref.episodeOfCareId()
                        + " has been received or sent"));
  }

  public static CareCommunicationThreads.Kind kind(ThreadReference ref) {
    return ThreadReference.FORWARD.equals(ref.action())
        ? CareCommunicationThreads.Kind.FORWARD
        : CareCommunicationThreads.Kind.REPLY;
  }

  private Bundle parse(StoredMessage m) {
    if (m.message() == null) {
      // A sent message whose journal entry no longer carries it (pruned meanwhile).
      throw new PermanentFailure(
          "the text of CareCommunication with MessageHeader id "
              + m.messageHeaderId()
              + " is no longer kept by this gateway");
    }
    String text = m.message().stripLeading();
    return (text.startsWith("<") ? fhir.newXmlParser() : fhir.newJsonParser())
        .parseResource(Bundle.class, text);
  }

  private static String episodeOf(Bundle bundle) {
    Encounter encounter = first(bundle, Encounter.class);
    if (encounter == null) {
      return null;
    }
    return encounter.getEpisodeOfCare().stream()
        .map(Reference::getIdentifier)
        .filter(i -> i != null && i.hasValue())
        .map(i -> i.getValue())
        .findFirst()
        .orElse(null);
  }

  private static <T> T first(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst()
        .orElse(null);
  }
}
