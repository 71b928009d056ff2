package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.delivery.ScheduleRow.Purpose;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.medcom.FhirMessageCodec;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.platform.JournalMdc;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Works through due rows of the delivery schedule: transport retries, and messages whose
 * acknowledgement did not come in time or came as transient-error (resent with a new Bundle.id,
 * at most {@code gateway.delivery.ack.max-resends} times, then FAILED).
 */
@Component
public class DeliveryScheduler {

  private static final int BATCH = 100;

  private final DeliveryScheduleRepository schedule;
  private final Journal journal;
  private final DeliveryStage stage;
  private final DeliveryBookkeeping bookkeeping;
  private final FhirMessageCodec codec;
  private final DeliveryProperties properties;
  private final Clock clock;

  public DeliveryScheduler(DeliveryScheduleRepository schedule, Journal journal, DeliveryStage stage,
      DeliveryBookkeeping bookkeeping, FhirMessageCodec codec, DeliveryProperties properties, Clock clock) {
    this.schedule = schedule;
    this.journal = journal;
    this.stage = stage;
    this.bookkeeping = bookkeeping;
    this.codec = codec;
    this.properties = properties;
    this.clock = clock;
  }

  /** Called by the schedule timer; returns how many rows were worked on. */
  public int runDue() {
    List<ScheduleRow> due = schedule.due(OffsetDateTime.now(clock), BATCH);
    for (ScheduleRow row : due) {
      try (MDC.MDCCloseable ignored = JournalMdc.put(row.entryId())) {
        JournalEntry entry = journal.find(row.entryId()).orElse(null);
        if (entry == null) {
          bookkeeping.forget(row.entryId());
        } else {
          work(row, entry);
        }
      }
    }
    return due.size();
  }

  private void work(ScheduleRow row, JournalEntry entry) {
    switch (entry.state()) {
      case RETRYING -> stage.attempt(entry);
      case SENT -> {
        if (row.purpose() == Purpose.SEND) {
          stage.attempt(entry);
        } else {
          resendOrGiveUp(row, entry);
        }
      }
      default -> bookkeeping.forget(entry.id()); // acknowledged, rejected, failed or held meanwhile
    }
  }

  private void resendOrGiveUp(ScheduleRow row, JournalEntry entry) {
    int max = properties.ack().maxResends();
    if (row.resends() >= max) {
      bookkeeping.fail(entry.id(), List.of(MessageState.SENT), row.purpose() == Purpose.RESEND
          ? "no acknowledgement: recipient still answered transient-error after " + max + " resends"
          : "no acknowledgement within " + properties.ack().timeout() + " after " + max + " resends");
      return;
    }
    FhirFormat format = FhirFormat.valueOf(entry.fhirFormat());
    String bundleId = UUID.randomUUID().toString();
    Bundle renewed = BundleRenewal.renew(codec.parse(entry.fhirMessage(), format), bundleId,
        Date.from(clock.instant()));
    String why = row.purpose() == Purpose.RESEND ? "after a transient-error acknowledgement"
        : "no acknowledgement within " + properties.ack().timeout();
    journal.renewedBundle(entry.id(), MessageState.SENT, bundleId, codec.encode(renewed, format),
        "resend " + (row.resends() + 1) + " of " + max + " (" + why + "): new Bundle.id, same MessageHeader.id");
    bookkeeping.countResend(row);
    journal.find(entry.id()).ifPresent(stage::attempt);
  }
}
