package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.platform.web.ApiException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;

/**
 * A record refused at REST intake, already journaled: answered with the intake's reason (the same
 * text as the journal entry's), one issue per broken mapping rule, and the entry's id and Location.
 */
class IntakeRefused extends ApiException {

  private IntakeRefused(HttpStatus status, IssueType type, IntakeResult result) {
    super(
        status,
        type,
        null,
        result.reason(),
        new Object[0],
        result.issues().stream().map(MappingIssue::issue).toList(),
        result.id());
  }

  /** The refusal of a result that was not accepted. */
  static IntakeRefused of(IntakeResult result) {
    return switch (result.outcome()) {
      case UNKNOWN_SOURCE -> new IntakeRefused(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, result);
      case FORBIDDEN -> new IntakeRefused(HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, result);
      case TOO_LARGE -> new IntakeRefused(HttpStatus.PAYLOAD_TOO_LARGE, IssueType.TOOLONG, result);
      case UNSUPPORTED_MEDIA_TYPE ->
          new IntakeRefused(HttpStatus.UNSUPPORTED_MEDIA_TYPE, IssueType.NOTSUPPORTED, result);
      case MALFORMED -> new IntakeRefused(HttpStatus.BAD_REQUEST, IssueType.STRUCTURE, result);
      case INVALID -> new IntakeRefused(HttpStatus.UNPROCESSABLE_ENTITY, IssueType.INVALID, result);
      case NOT_JOURNALED ->
          new IntakeRefused(HttpStatus.INTERNAL_SERVER_ERROR, IssueType.EXCEPTION, result);
      case ACCEPTED -> throw new IllegalArgumentException("an accepted record is not refused");
    };
  }
}
