package dk.sektorbro.gateway.platform.web;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** Every API error is a FHIR OperationOutcome in JSON: what is wrong, where, by which rule. */
@Component
public class OperationOutcomes {

  private final FhirContext fhir;

  public OperationOutcomes(FhirContext fhir) {
    this.fhir = fhir;
  }

  public ResponseEntity<String> error(HttpStatus status, IssueType type, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
    return respond(status, outcome, null);
  }

  /** A journaled refusal: the journal id travels along so the caller can look the entry up. */
  public ResponseEntity<String> refused(
      HttpStatus status, IssueType type, String reason, List<Issue> issues, String journalId) {
    OperationOutcome outcome = new OperationOutcome();
    if (issues.isEmpty()) {
      outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(reason);
    }
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

  public String encode(OperationOutcome outcome) {
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
