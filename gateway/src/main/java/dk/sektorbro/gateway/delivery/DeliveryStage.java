package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.platform.JournalMdc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** Last stage: the translated message goes to the recipient's postbox folder, then the entry is SENT. */
@Component
public class DeliveryStage {

  private final Journal journal;
  private final PostboxWriter postbox;
  private final Timer timer;

  public DeliveryStage(Journal journal, PostboxWriter postbox, MeterRegistry meters) {
    this.journal = journal;
    this.postbox = postbox;
    this.timer = Timer.builder("gateway.stage.duration").tag("stage", "deliver")
        .description("Time to write one message to its postbox").publishPercentileHistogram()
        .register(meters);
  }

  public void deliver(String journalId) throws IOException {
    try (MDC.MDCCloseable ignored = JournalMdc.put(journalId)) {
      JournalEntry entry = journal.find(journalId).orElse(null);
      if (entry == null || entry.state() != MessageState.TRANSLATED) {
        return; // already delivered or no longer deliverable
      }
      Timer.Sample sample = Timer.start();
      String extension = FhirFormat.valueOf(entry.fhirFormat()).fileExtension();
      Path written = postbox.write(entry.recipientGln(), entry.messageHeaderId(), extension, entry.fhirMessage());
      journal.sent(journalId, written.toString(), "written to postbox folder of EAN/GLN " + entry.recipientGln());
      sample.stop(timer);
    }
  }
}
