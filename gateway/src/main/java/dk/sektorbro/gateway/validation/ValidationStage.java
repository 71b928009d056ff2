package dk.sektorbro.gateway.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.JournalMdc;
import dk.sektorbro.gateway.platform.PipelineStage;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.platform.StageTimers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Stage 3: MedCom requires senders never to send an invalid message. Any error ends the entry
 * FAILED with the validator's issues in the journal; warnings are kept with the VALIDATED event.
 */
@Component
public class ValidationStage implements PipelineStage {

  private static final int MAX_REASON = 1000;

  private final Journal journal;
  private final MessageValidator validator;
  private final ObjectMapper json;
  private final Timer timer;

  public ValidationStage(
      Journal journal, MessageValidator validator, ObjectMapper json, MeterRegistry meters) {
    this.journal = journal;
    this.validator = validator;
    this.json = json;
    this.timer = StageTimers.timer(meters, "validate", "Time to validate one outbound message");
  }

  @Override
  public String stage() {
    return RouteIds.VALIDATE;
  }

  @Override
  public boolean process(String journalId) {
    return validate(journalId);
  }

  /** True when the message is valid and goes on to delivery. */
  public boolean validate(String journalId) {
    try (MDC.MDCCloseable ignored = JournalMdc.put(journalId)) {
      JournalEntry entry = journal.forStage(journalId).orElse(null);
      if (entry == null || entry.state() != MessageState.TRANSLATED) {
        return false;
      }
      ValidationReport report =
          timer.record(
              () ->
                  validator.validate(entry.messageType(), entry.fhirMessage(), entry.fhirFormat()));
      if (report.valid()) {
        String reason =
            "valid against "
                + report.chain()
                + (report.warnings().isEmpty()
                    ? ""
                    : " (" + report.warnings().size() + " warnings)");
        String detail = report.issues().isEmpty() ? null : toJson(report);
        // The verdict is about this Bundle: an edit may have translated another one meanwhile.
        return journal.advanceCarrying(
            journalId,
            entry.bundleId(),
            List.of(MessageState.TRANSLATED),
            MessageState.VALIDATED,
            "validate",
            reason,
            detail);
      }
      ValidationReport.Issue first = report.errors().get(0);
      journal.transitionCarrying(
          journalId,
          entry.bundleId(),
          List.of(MessageState.TRANSLATED),
          MessageState.FAILED,
          "validate",
          abbreviate(
              "invalid against "
                  + report.chain()
                  + ": "
                  + report.errors().size()
                  + " errors, first: "
                  + first.location()
                  + ": "
                  + first.message()),
          toJson(report));
      return false;
    }
  }

  // HAPI messages can be long (slice diagnostics); the full issues are in the detail, the reason is
  // a summary.
  static String abbreviate(String reason) {
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
  }

  private String toJson(ValidationReport report) {
    try {
      return json.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
