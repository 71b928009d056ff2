package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's operations for scripts: the same actions, roles and audit as the pages
 * (docs/admin.md). Roles are enforced by the API security chain; errors are OperationOutcomes.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(
    name = "admin",
    description = "Retry, edit, discard and release messages; routes; dashboard; audit log")
public class AdminApiController {

  private final AdminActions actions;
  private final RouteControl routes;
  private final DashboardService dashboard;
  private final AuditLog audit;
  private final OperationOutcomes outcomes;

  public AdminApiController(
      AdminActions actions,
      RouteControl routes,
      DashboardService dashboard,
      AuditLog audit,
      OperationOutcomes outcomes) {
    this.actions = actions;
    this.routes = routes;
    this.dashboard = dashboard;
    this.audit = audit;
    this.outcomes = outcomes;
  }

  /** Why an action is done; required for every action. */
  public record Comment(String comment) {}

  public record Reason(String reason) {}

  public record Edit(Map<String, String> changes, String comment) {}

  /**
   * A release; for a consent hold the legal basis, and optionally the purpose and the §13a/§13b
   * plan number.
   */
  public record Release(
      String legalBasis, String justification, String purpose, String planReference) {}

  public record BulkRetry(String stage, String reasonContains, String comment) {}

  @PostMapping("/messages/{id}/retry")
  @Operation(
      summary =
          "Retry a FAILED message from the stage where it failed, or a RETRYING one now (OPERATOR, ADMIN)")
  public Map<String, Object> retry(
      @PathVariable String id, @RequestBody Comment body, Principal user) {
    MessageState at = actions.retry(user.getName(), id, body.comment());
    return Map.of("id", id, "state", at.name());
  }

  @PostMapping("/documents/{id}/delivery/retry")
  @Operation(
      summary =
          "Try a FAILED or CANCELLED care-plan document delivery to its FHIR endpoint again (OPERATOR, ADMIN)")
  public Map<String, Object> retryDocumentDelivery(
      @PathVariable String id, @RequestBody Comment body, Principal user) {
    actions.retryDocumentDelivery(user.getName(), id, body.comment());
    return Map.of("documentId", id, "state", "PENDING");
  }

  @PostMapping("/messages/{id}/resend")
  @Operation(summary = "Deliver a SENT message again, same MessageHeader id (OPERATOR, ADMIN)")
  public Map<String, Object> resend(
      @PathVariable String id, @RequestBody Comment body, Principal user) {
    actions.resend(user.getName(), id, body.comment());
    return Map.of("id", id, "state", MessageState.VALIDATED.name());
  }

  @PostMapping("/messages/{id}/edit")
  @Operation(
      summary =
          "Change recipient or canonical fields of a failed or held message and retry it (ADMIN)",
      description =
          "Editable fields: recipient.sor, recipient.gln, recipient.name, category, topic, priority, text."
              + " The comment is required; the canonical record before the edit is kept in the audit log.")
  public Map<String, Object> edit(@PathVariable String id, @RequestBody Edit body, Principal user) {
    actions.editAndRetry(
        user.getName(), id, body.changes() == null ? Map.of() : body.changes(), body.comment());
    return Map.of("id", id, "state", MessageState.RECEIVED.name());
  }

  @PostMapping("/messages/{id}/discard")
  @Operation(summary = "End a failed or held message without delivery: DISCARDED (ADMIN)")
  public Map<String, Object> discard(
      @PathVariable String id, @RequestBody Reason body, Principal user) {
    actions.discard(user.getName(), id, body.reason());
    return Map.of("id", id, "state", MessageState.DISCARDED.name());
  }

  @PostMapping("/messages/{id}/release")
  @Operation(
      summary =
          "Release a held message: into the gates again, or, when a delivery guard stopped it, to delivery as the same message; a consent hold needs a legal basis code, checked by the same rules as a record's (ADMIN)")
  public Map<String, Object> release(
      @PathVariable String id, @RequestBody Release body, Principal user) {
    MessageState to =
        actions.release(
            user.getName(),
            id,
            new AdminActions.ConsentRelease(
                body.legalBasis(), body.purpose(), body.planReference()),
            body.justification());
    return Map.of("id", id, "state", to.name());
  }

  @PostMapping("/messages/retry-failed")
  @Operation(
      summary =
          "Retry the FAILED messages of a stage and/or reason text, at most 1000 (OPERATOR, ADMIN)")
  public AdminActions.BulkResult retryFailed(@RequestBody BulkRetry body, Principal user) {
    return actions.retryFailed(user.getName(), body.stage(), body.reasonContains(), body.comment());
  }

  @GetMapping("/dashboard")
  @Operation(
      summary =
          "Counts per state and stage (24 h, 7 days), hourly chart data, failure reasons, health")
  public Dashboard dashboard() {
    return dashboard.read();
  }

  @GetMapping("/routes")
  @Operation(summary = "Camel routes with state and counters (OPERATOR, ADMIN)")
  public List<RouteView> routes() {
    return routes.routes();
  }

  @PostMapping("/routes/{routeId}/suspend")
  @Operation(summary = "Suspend a route (ADMIN)")
  public Map<String, Object> suspend(
      @PathVariable String routeId, @RequestBody Reason body, Principal user) {
    routes.suspend(user.getName(), routeId, body.reason());
    return Map.of("id", routeId, "action", "suspended");
  }

  @PostMapping("/routes/{routeId}/resume")
  @Operation(summary = "Resume a suspended route (ADMIN)")
  public Map<String, Object> resume(
      @PathVariable String routeId, @RequestBody Reason body, Principal user) {
    routes.resume(user.getName(), routeId, body.reason());
    return Map.of("id", routeId, "action", "resumed");
  }

  @GetMapping("/audit")
  @Operation(summary = "The audit log, newest first (AUDITOR, ADMIN)")
  public Map<String, Object> audit(
      @RequestParam(required = false) String entryId,
      @RequestParam(required = false) AuditAction action,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    if (page < 0 || size < 1 || size > 200) {
      throw new ActionRefused(
          ActionRefused.Kind.INVALID, "page must be >= 0 and size between 1 and 200");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("page", page);
    body.put("size", size);
    body.put("total", audit.count());
    body.put(
        "items",
        audit.list(entryId == null || entryId.isBlank() ? null : entryId, action, page, size));
    return body;
  }

  @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
  ResponseEntity<String> unreadable(Exception e) {
    return outcomes.error(
        HttpStatus.BAD_REQUEST, IssueType.INVALID, "request body: expected a JSON object");
  }

  @ExceptionHandler(ActionRefused.class)
  ResponseEntity<String> refused(ActionRefused e) {
    IssueType type =
        switch (e.kind()) {
          case NOT_FOUND -> IssueType.NOTFOUND;
          case INVALID -> IssueType.REQUIRED;
          case CONFLICT -> IssueType.CONFLICT;
        };
    return outcomes.error(HttpStatus.valueOf(e.kind().status()), type, e.getMessage());
  }
}
