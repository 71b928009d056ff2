package dk.sektorbro.gateway.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.gate.GateDecision;
import dk.sektorbro.gateway.gate.GateOrder;
import dk.sektorbro.gateway.gate.OutboundGate;
import dk.sektorbro.gateway.journal.CanonicalRecords;
import dk.sektorbro.gateway.journal.EntryTakenOver;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.JournalMdc;
import dk.sektorbro.gateway.platform.PermanentFailure;
import dk.sektorbro.gateway.platform.PipelineStage;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.record.CanonicalRecord;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Stage 1: runs every {@link OutboundGate}, in {@link GateOrder}, on a received record and journals
 * each decision.
 */
@Component
public class GateStage implements PipelineStage {

  private static final Logger log = LoggerFactory.getLogger(GateStage.class);

  private final Journal journal;
  private final List<OutboundGate> gates;
  private final ObjectMapper json;
  private final CanonicalRecords records;

  public GateStage(
      Journal journal, List<OutboundGate> gates, ObjectMapper json, CanonicalRecords records) {
    this.journal = journal;
    this.gates = GateOrder.gates(gates);
    this.json = json;
    this.records = records;
  }

  @Override
  public String stage() {
    return RouteIds.GATES;
  }

  @Override
  public boolean process(String journalId) {
    return check(journalId);
  }

  /**
   * True when the record passed every gate and goes on to translation. The gates' reads and
   * decisions are one transaction (one connection, one commit; Journal#inStage).
   */
  public boolean check(String journalId) {
    try (MDC.MDCCloseable ignored = JournalMdc.put(journalId)) {
      try {
        return journal.inStage(() -> checkInStage(journalId));
      } catch (EntryTakenOver e) {
        // Taken over by another node while this one was stalled (or moved meanwhile, e.g. by an
        // administrator): the decisions of whoever holds it now are the message's.
        log.warn("gates abandoned: the entry is no longer this node's to decide");
        journal.noteInCurrentState(
            journalId,
            RouteIds.GATES,
            "a run of the gates that had stalled wrote no decision: the entry was no longer this"
                + " node's in RECEIVED (another node had taken it over, or it had moved on)",
            null);
        return false;
      }
    }
  }

  private boolean checkInStage(String journalId) {
    JournalEntry entry = journal.forStage(journalId).orElse(null);
    if (entry == null || entry.state() != MessageState.RECEIVED) {
      return false;
    }
    // The decisions are about the entry as read here: written only while it is still this node's
    // and RECEIVED (the first write checks it and locks the row; no statement more).
    journal.fence(entry);
    CanonicalRecord record = read(entry);
    // The PASS decisions are written together (one statement), before anything else is written,
    // so the history keeps the gates' order; the resolved recipient goes into the entry in the
    // same statement.
    List<Journal.Note> passed = new ArrayList<>();
    Journal.Recipient addressed = null;
    for (OutboundGate gate : gates) {
      GateDecision decision = gate.check(entry, record);
      if (decision.addressed() != null) {
        CanonicalRecord.Organisation to = decision.addressed();
        addressed = new Journal.Recipient(to.sor(), to.gln(), to.name());
      }
      if (decision.kind() != GateDecision.Kind.PASS || decision.changed() != null) {
        journal.notes(journalId, passed, addressed);
        passed.clear();
        addressed = null;
      }
      switch (decision.kind()) {
        case PASS -> {
          if (decision.changed() != null) {
            record = decision.changed();
            journal.replaceCanonical(
                journalId, write(record), gate.name(), decision.reason(), decision.detail());
          } else {
            passed.add(
                new Journal.Note(
                    MessageState.RECEIVED, gate.name(), decision.reason(), decision.detail()));
          }
        }
        case HOLD -> {
          journal.transition(
              journalId,
              List.of(MessageState.RECEIVED),
              decision.holdState(),
              gate.name(),
              decision.reason(),
              decision.detail());
          return false;
        }
        case FAIL -> {
          journal.transition(
              journalId,
              List.of(MessageState.RECEIVED),
              MessageState.FAILED,
              gate.name(),
              decision.reason(),
              decision.detail());
          return false;
        }
      }
    }
    journal.notes(journalId, passed, addressed);
    return true;
  }

  private CanonicalRecord read(JournalEntry entry) {
    try {
      return records.read(entry);
    } catch (JsonProcessingException e) {
      throw new PermanentFailure("the journaled canonical record cannot be read");
    }
  }

  private String write(CanonicalRecord record) {
    try {
      return json.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("canonical record cannot be serialised", e);
    }
  }
}
