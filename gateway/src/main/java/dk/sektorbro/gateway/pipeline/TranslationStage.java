package dk.sektorbro.gateway.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dk.sektorbro.gateway.journal.CanonicalRecords;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.journal.Translation;
import dk.sektorbro.gateway.medcom.CareCommunicationBuilder;
import dk.sektorbro.gateway.medcom.CareCommunicationThreads;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.medcom.MedComCodes;
import dk.sektorbro.gateway.medcom.MessageIds;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.JournalMdc;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.platform.PipelineStage;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.platform.StageTimers;
import dk.sektorbro.gateway.record.CanonicalRecord;
import dk.sektorbro.gateway.threads.ThreadJournal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** Stage 2: the journaled canonical record becomes a MedCom CareCommunication message. */
@Component
public class TranslationStage implements PipelineStage {

  public static final String MESSAGE_TYPE = MedComCodes.CARE_COMMUNICATION;

  private final Journal journal;
  private final CanonicalRecords records;
  private final CareCommunicationBuilder builder;
  private final FhirMessageCodec codec;
  private final GatewayProperties.FhirFormat format;
  private final Timer timer;
  private final ThreadJournal threads;
  private final Clock clock;

  public TranslationStage(
      Journal journal,
      CanonicalRecords records,
      CareCommunicationBuilder builder,
      FhirMessageCodec codec,
      GatewayProperties properties,
      MeterRegistry meters,
      ThreadJournal threads,
      Clock clock) {
    this.threads = threads;
    this.clock = clock;
    this.journal = journal;
    this.records = records;
    this.builder = builder;
    this.codec = codec;
    this.format = properties.delivery().format();
    this.timer =
        StageTimers.timer(meters, "translate", "Time to build and encode one MedCom message");
  }

  @Override
  public String stage() {
    return RouteIds.TRANSLATE;
  }

  @Override
  public boolean process(String journalId) {
    return translate(journalId);
  }

  /** Returns true when the entry was translated now and should go on to delivery. */
  public boolean translate(String journalId) {
    try (MDC.MDCCloseable ignored = JournalMdc.put(journalId)) {
      JournalEntry entry = journal.forStage(journalId).orElse(null);
      if (entry == null || entry.state() != MessageState.RECEIVED) {
        return false; // already handled (e.g. by a recovery sweep)
      }
      return timer.record(
          () -> {
            StringBuilder reason =
                new StringBuilder("translated to MedCom " + MESSAGE_TYPE + " 5.0");
            Built translation = translation(entry, reason);
            // The thread row and the move to TRANSLATED are one statement, committed without
            // waiting for the disk (Journal#translated): a crash loses both or neither, and
            // translation is redone with new ids. They reach the disk at the latest with the
            // delivery stage's forced commit, before the message leaves.
            // ...and only while the entry holds the record it was made from (an edit meanwhile).
            return journal.translated(
                journalId,
                translation.stored(),
                ThreadJournal.sent(translation.bundle()).orElse(null),
                reason.toString(),
                entry.canonicalRecord());
          });
    }
  }

  /** The message built, and what the journal stores of it. */
  private record Built(Bundle bundle, Translation stored) {}

  private Built translation(JournalEntry entry, StringBuilder reason) {
    CanonicalRecord record = read(entry);
    CanonicalRecord.Organisation recipient = record.recipient();
    if (recipient.sor() == null || recipient.gln() == null) {
      throw new PermanentFailure(
          "recipient needs both a SOR code and an EAN/GLN location number"
              + " (MedCom requires both on the receiving organisation)");
    }
    MessageIds ids = MessageIds.generate(UUID::randomUUID, record.attachments().size());
    Bundle bundle = builder.build(record, ids);
    CanonicalRecord.ThreadReference thread = record.thread();
    if (thread != null) {
      List<Bundle> earlier = threads.threadFor(thread);
      try {
        bundle =
            CareCommunicationThreads.continueThread(
                bundle, earlier, ThreadJournal.kind(thread), thread.segments());
      } catch (IllegalArgumentException e) {
        throw new PermanentFailure("cannot " + thread.action() + ": " + e.getMessage());
      }
      MessageHeader answered =
          (MessageHeader) earlier.get(earlier.size() - 1).getEntryFirstRep().getResource();
      reason
          .append(", ")
          .append(thread.action())
          .append(" to MessageHeader ")
          .append(answered.getIdPart())
          .append(" (thread of ")
          .append(earlier.size())
          .append(" message(s))");
    }
    String note = CareCommunicationBuilder.sentTimeNote(record, clock.instant());
    if (note != null) {
      reason.append("; ").append(note);
    }
    String encoded = codec.encodeBuilt(bundle, format);
    return new Built(
        bundle,
        new Translation(
            MESSAGE_TYPE,
            ids.messageHeaderId(),
            ids.bundleId(),
            encoded,
            format.name(),
            recipient.sor(),
            recipient.gln(),
            recipient.name()));
  }

  private CanonicalRecord read(JournalEntry entry) {
    try {
      return records.read(entry);
    } catch (JsonProcessingException e) {
      throw new PermanentFailure("the journaled canonical record cannot be read");
    }
  }
}
