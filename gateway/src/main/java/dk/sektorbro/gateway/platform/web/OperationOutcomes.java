package dk.sektorbro.gateway.platform.web;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * The one writer of the API's OperationOutcomes (FHIR R4, JSON): every error says what is wrong,
 * where, by which rule; FHIR {@code $process-message} also says what it did with one.
 */
@Component
public class OperationOutcomes {

  // The API speaks one language; the bundle has no translations to choose from.
  private static final Locale LOCALE = Locale.ROOT;

  private final FhirContext fhir;
  private final MessageSource messages;

  public OperationOutcomes(FhirContext fhir, MessageSource messages) {
    this.fhir = fhir;
    this.messages = messages;
  }

  public ResponseEntity<String> error(HttpStatus status, IssueType type, String message) {
    return respond(status, outcome(IssueSeverity.ERROR, type, message), null);
  }

  /**
   * One error issue, encoded, for the answers written outside Spring MVC (security filters): its
   * text is {@code key} in the message bundle.
   */
  public String encodeError(IssueType type, String key) {
    return encode(outcome(IssueSeverity.ERROR, type, messages.getMessage(key, null, LOCALE)));
  }

  /** As {@link #encodeError(IssueType, String)}, the text filled with {@code arguments}. */
  public String encodeError(IssueType type, String key, Object... arguments) {
    return encode(outcome(IssueSeverity.ERROR, type, messages.getMessage(key, arguments, LOCALE)));
  }

  /**
   * 200 with what was done, as one informational issue: its text is {@code key} in the message
   * bundle.
   */
  public ResponseEntity<String> information(IssueSeverity severity, String key) {
    return respond(
        HttpStatus.OK,
        outcome(severity, IssueType.INFORMATIONAL, messages.getMessage(key, null, LOCALE)),
        null);
  }

  /**
   * A refusal: one issue per broken rule, or one with the reason when there are none. The journal
   * id of a journaled item travels along (id and Location) so the caller can look the entry up.
   */
  public ResponseEntity<String> refused(
      HttpStatus status, IssueType type, String reason, List<Issue> issues, String journalId) {
    OperationOutcome outcome =
        issues.isEmpty() ? outcome(IssueSeverity.ERROR, type, reason) : new OperationOutcome();
    for (Issue issue : issues) {
      OperationOutcome.OperationOutcomeIssueComponent i =
          outcome
              .addIssue()
              .setSeverity(IssueSeverity.ERROR)
              .setCode(IssueType.INVALID)
              .setDiagnostics(
                  issue.message()
                      + " (rule: "
                      + issue.rule()
                      + (issue.sourcePath() == null ? "" : ", from " + issue.sourcePath())
                      + ")");
      i.addExpression(issue.field());
      i.getDetails().setText(issue.rule());
    }
    if (journalId != null) {
      outcome.setId(journalId);
    }
    return respond(status, outcome, journalId);
  }

  private static OperationOutcome outcome(IssueSeverity severity, IssueType type, String text) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(severity).setCode(type).setDiagnostics(text);
    return outcome;
  }

  private String encode(OperationOutcome outcome) {
    return fhir.newJsonParser().encodeResourceToString(outcome);
  }

  private ResponseEntity<String> respond(
      HttpStatus status, OperationOutcome outcome, String journalId) {
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
    if (journalId != null) {
      response.header(HttpHeaders.LOCATION, ApiPaths.message(journalId));
    }
    return response.body(encode(outcome));
  }
}
