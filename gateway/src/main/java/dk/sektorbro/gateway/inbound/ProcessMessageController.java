package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * FHIR {@code $process-message} (role INTAKE or ADMIN): MedCom Acknowledgements of messages we
 * sent, answered with an OperationOutcome saying what the gateway did (acknowledgements are never
 * acknowledged); and messages from hospitals, answered synchronously with their Acknowledgement.
 */
@RestController
public class ProcessMessageController {

  private final AcknowledgementService acknowledgements;
  private final OperationOutcomes outcomes;

  public ProcessMessageController(
      AcknowledgementService acknowledgements, OperationOutcomes outcomes) {
    this.acknowledgements = acknowledgements;
    this.outcomes = outcomes;
  }

  @PostMapping("/fhir/$process-message")
  public ResponseEntity<String> process(@RequestBody(required = false) byte[] body) {
    if (body == null || body.length == 0) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.REQUIRED,
          "empty request: expected a FHIR message Bundle");
    }
    AcknowledgementService.Reception reception = acknowledgements.receiveMessage(body, "HTTP");
    return switch (reception.outcome()) {
      case INBOUND_MESSAGE ->
          !reception.answerValid()
              ? outcomes.error(
                  HttpStatus.INTERNAL_SERVER_ERROR,
                  IssueType.EXCEPTION,
                  "the message is recorded, but the gateway's acknowledgement failed validation and is not sent;"
                      + " an operator is alerted (gateway_inbound_acknowledgements_invalid_total)")
              : ResponseEntity.ok()
                  .contentType(
                      MediaType.parseMediaType(
                          reception.answer().stripLeading().startsWith("<")
                              ? "application/fhir+xml"
                              : "application/fhir+json"))
                  .body(reception.answer());
      case APPLIED -> info(IssueSeverity.INFORMATION, "acknowledgement applied");
      case DUPLICATE ->
          info(IssueSeverity.WARNING, "duplicate acknowledgement: recorded and ignored");
      case UNMATCHED ->
          info(
              IssueSeverity.WARNING,
              "acknowledgement matches no message awaiting one: recorded and ignored");
      case INVALID ->
          outcomes.error(
              HttpStatus.UNPROCESSABLE_ENTITY,
              IssueType.INVALID,
              "acknowledgement is not valid against MedCom Acknowledgement 2.0.3, recorded and not applied: "
                  + reception.detail());
      case UNREADABLE ->
          outcomes.error(
              HttpStatus.BAD_REQUEST,
              IssueType.STRUCTURE,
              "not a readable FHIR message Bundle with a MessageHeader");
      case SIGNATURE_REFUSED ->
          outcomes.error(
              HttpStatus.BAD_REQUEST,
              IssueType.SECURITY,
              "signature refused; the reason is journaled");
    };
  }

  private ResponseEntity<String> info(IssueSeverity severity, String text) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(severity).setCode(IssueType.INFORMATIONAL).setDiagnostics(text);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(outcomes.encode(outcome));
  }
}
