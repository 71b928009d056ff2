package dk.sektorbro.gateway.platform.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The OpenAPI description of the error answers: a FHIR R4 OperationOutcome as {@link
 * OperationOutcomes} writes it (HAPI's JSON; this record only documents the shape, it is never
 * serialised).
 */
@Schema(
    name = "OperationOutcome",
    description =
        "FHIR R4 OperationOutcome: why the request was not done; id and the Location header name the"
            + " journal entry of a refused record")
public record OperationOutcomeDoc(
    @Schema(allowableValues = "OperationOutcome", requiredMode = Schema.RequiredMode.REQUIRED)
        String resourceType,
    @Schema(description = "the journal id of a refused record, when it was journaled") String id,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<IssueDoc> issue) {

  @Schema(name = "OperationOutcomeIssue")
  public record IssueDoc(
      @Schema(allowableValues = "error") String severity,
      @Schema(description = "FHIR IssueType code, e.g. value, structure, invalid, not-found")
          String code,
      @Schema(description = "what is wrong, for people; for a broken rule also the rule")
          String diagnostics,
      @Schema(description = "the rule broken, as text") DetailsDoc details,
      @Schema(description = "the field concerned") List<String> expression) {}

  @Schema(name = "OperationOutcomeIssueDetails")
  public record DetailsDoc(String text) {}
}
