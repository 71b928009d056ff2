package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
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
 * Being a FHIR operation, every answer that is not an Acknowledgement is a FHIR OperationOutcome:
 * refusals as {@link ApiException}s like every API error, what was done as an informational one.
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
      throw ApiException.of(HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "process-message.empty");
    }
    AcknowledgementService.Reception reception = acknowledgements.receiveMessage(body, "HTTP");
    return switch (reception.outcome()) {
      case INBOUND_MESSAGE -> acknowledgement(reception);
      case APPLIED -> outcomes.information(IssueSeverity.INFORMATION, "process-message.applied");
      case DUPLICATE -> outcomes.information(IssueSeverity.WARNING, "process-message.duplicate");
      case UNMATCHED -> outcomes.information(IssueSeverity.WARNING, "process-message.unmatched");
      case INVALID ->
          throw ApiException.of(
              HttpStatus.UNPROCESSABLE_ENTITY,
              IssueType.INVALID,
              "process-message.ack-invalid",
              reception.detail());
      case UNREADABLE ->
          throw ApiException.of(
              HttpStatus.BAD_REQUEST, IssueType.STRUCTURE, "process-message.unreadable");
      case SIGNATURE_REFUSED ->
          throw ApiException.of(
              HttpStatus.BAD_REQUEST, IssueType.SECURITY, "process-message.signature-refused");
    };
  }

  /** A hospital's message answered with our Acknowledgement, in the message's own format. */
  private static ResponseEntity<String> acknowledgement(
      AcknowledgementService.Reception reception) {
    if (!reception.answerValid()) {
      throw ApiException.of(
          HttpStatus.INTERNAL_SERVER_ERROR, IssueType.EXCEPTION, "process-message.answer-invalid");
    }
    return ResponseEntity.ok()
        .contentType(
            MediaType.parseMediaType(
                reception.answer().stripLeading().startsWith("<")
                    ? "application/fhir+xml"
                    : "application/fhir+json"))
        .body(reception.answer());
  }
}
