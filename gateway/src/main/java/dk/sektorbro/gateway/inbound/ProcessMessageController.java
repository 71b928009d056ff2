package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Issue;
import dk.sektorbro.gateway.platform.web.OperationOutcomeDoc;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import dk.sektorbro.gateway.platform.web.Refuses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.UNPROCESSABLE_ENTITY})
  @PostMapping("/fhir/$process-message")
  @Operation(
      summary = "Receive a FHIR message from a hospital or an acknowledgement (INTAKE, ADMIN)",
      description =
          "A MedCom Acknowledgement of a message the gateway sent is applied and answered with an"
              + " OperationOutcome saying what was done (applied, or a duplicate or unmatched one"
              + " recorded and ignored, as a warning). Any other message is answered with the"
              + " gateway's Acknowledgement, in the message's own format (JSON or XML). 400: empty,"
              + " unreadable or a signature refused; 422: an acknowledgement not valid against"
              + " MedCom Acknowledgement 2.0.3 (recorded, not applied), or a message refused"
              + " (recorded, fatal-error) for what also keeps a valid acknowledgement from being"
              + " made, e.g. no receiver: the reasons as issues; 500: an ok message whose"
              + " acknowledgement failed the gateway's own validation (recorded, not sent).")
  @ApiResponse(
      responseCode = "200",
      description =
          "an acknowledgement: what was done with it (OperationOutcome); a message from a"
              + " hospital: the gateway's Acknowledgement (a message Bundle, JSON or XML as sent)",
      content = {
        @Content(
            mediaType = "application/json",
            schema = @Schema(implementation = OperationOutcomeDoc.class)),
        @Content(
            mediaType = "application/fhir+json",
            schema = @Schema(implementation = MessageBundleDoc.class)),
        @Content(
            mediaType = "application/fhir+xml",
            schema = @Schema(implementation = MessageBundleDoc.class))
      })
  public ResponseEntity<String> process(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/fhir+json",
                    schema = @Schema(implementation = MessageBundleDoc.class)),
                @Content(
                    mediaType = "application/fhir+xml",
                    schema = @Schema(implementation = MessageBundleDoc.class))
              })
          @RequestBody(required = false)
          byte[] body) {
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
    if (!reception.answerValid() && "fatal-error".equals(reception.responseCode())) {
      // Refused for what also keeps a valid acknowledgement from being made (no receiver, a
      // sender that is not in the message, ...): the reason, as the acknowledgement would have
      // given it, and no 500, which would have the sender retry an error of its own message.
      // (A transient-error is ours: its invalid acknowledgement stays a 500.)
      throw ApiException.unprocessable(
          "process-message.refused-unanswerable",
          reception.issues().stream().map(i -> Issue.of("Bundle", i.code(), i.text())).toList());
    }
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
