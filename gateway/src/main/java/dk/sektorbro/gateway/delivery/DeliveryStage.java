package dk.sektorbro.gateway.delivery;

import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import dk.sektorbro.gateway.platform.JournalMdc;
import io.micrometer.core.instrument.MeterRegistry;
import dk.sektorbro.gateway.platform.StageTimers;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import dk.sektorbro.gateway.pipeline.GateDecision;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Last stage: after the delivery guards' final say, the validated message goes to the recipient's
 * postbox folder, then the entry is SENT.
 */
@Component
public class DeliveryStage {

  private final Journal journal;
  private final PostboxWriter postbox;
  private final List<DeliveryGuard> guards;
  private final Timer timer;

  public DeliveryStage(Journal journal, PostboxWriter postbox, List<DeliveryGuard> guards, MeterRegistry meters) {
    this.journal = journal;
    this.postbox = postbox;
    this.guards = guards;
    this.timer = StageTimers.timer(meters, "deliver", "Time to write one message to its postbox");
  }

  public void deliver(String journalId) throws IOException {
    try (MDC.MDCCloseable ignored = JournalMdc.put(journalId)) {
      JournalEntry entry = journal.find(journalId).orElse(null);
      if (entry == null || entry.state() != MessageState.VALIDATED || !guardsAllow(entry)) {
        return; // already delivered, no longer deliverable, or held by a guard
      }
      Timer.Sample sample = Timer.start();
      String extension = FhirFormat.valueOf(entry.fhirFormat()).fileExtension();
      Path written = postbox.write(entry.recipientGln(), entry.messageHeaderId(), extension, entry.fhirMessage());
      journal.sent(journalId, written.toString(), "written to postbox folder of EAN/GLN " + entry.recipientGln());
      sample.stop(timer);
    }
  }

  private boolean guardsAllow(JournalEntry entry) {
    for (DeliveryGuard guard : guards) {
      GateDecision decision = guard.recheck(entry);
      if (decision.kind() == GateDecision.Kind.PASS) {
        continue;
      }
      MessageState to = decision.kind() == GateDecision.Kind.HOLD ? decision.holdState() : MessageState.FAILED;
      journal.transition(entry.id(), List.of(MessageState.VALIDATED), to, guard.name(), decision.reason(),
          decision.detail());
      return false;
    }
    return true;
  }
}
