package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.journal.MessageState;
import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Refuses;
import dk.sektorbro.gateway.platform.web.UnreadableBody;
import dk.sektorbro.gateway.record.Cpr;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
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
@UnreadableBody(key = "admin.body.unreadable", type = "invalid")
@Tag(
    name = "admin",
    description = "Retry, edit, discard and release messages; routes; dashboard; audit log")
public class AdminApiController {

  private final AdminActions actions;
  private final RouteControl routes;
  private final DashboardService dashboard;
  private final AuditLog audit;

  public AdminApiController(
      AdminActions actions, RouteControl routes, DashboardService dashboard, AuditLog audit) {
    this.actions = actions;
    this.routes = routes;
    this.dashboard = dashboard;
    this.audit = audit;
  }

  /** Why an action is done; required for every action. */
  public record Comment(@NotBlank String comment) {}

  public record Reason(@NotBlank String reason) {}

  public record Edit(Map<String, String> changes, @NotBlank String comment) {}

  /**
   * A release; for a consent hold the legal basis, and optionally the purpose and the §13a/§13b
   * plan number.
   */
  public record Release(
      String legalBasis, @NotBlank String justification, String purpose, String planReference) {}

  public record BulkRetry(String stage, String reasonContains, @NotBlank String comment) {}

  /** A message after an action: the state it went to. */
  public record MessageAction(String id, String state) {}

  /** A care-plan document delivery after a retry. */
  public record DocumentAction(String documentId, String state) {}

  /** A route after suspend or resume. */
  public record RouteAction(String id, String action) {}

  /**
   * The audit of one citizen: the CPR number in the body, not in a URL a proxy keeps; {@code page}
   * and {@code size} as for the log.
   */
  public record AuditSearch(String cpr, Integer page, Integer size) {}

  /** One page of the audit log, newest first; {@code total} counts the whole log. */
  public record AuditPage(int page, int size, long total, List<AuditEntry> items) {}

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT})
  @PostMapping("/messages/{id}/retry")
  @Operation(
      summary =
          "Retry a FAILED message from the stage where it failed, or a RETRYING one now (OPERATOR, ADMIN)")
  public MessageAction retry(
      @PathVariable String id, @Valid @RequestBody Comment body, Principal user) {
    MessageState at = actions.retry(user.getName(), id, body.comment());
    return new MessageAction(id, at.name());
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.CONFLICT})
  @PostMapping("/documents/{id}/delivery/retry")
  @Operation(
      summary =
          "Try a FAILED or CANCELLED care-plan document delivery to its FHIR endpoint again (OPERATOR, ADMIN)")
  public DocumentAction retryDocumentDelivery(
      @PathVariable String id, @Valid @RequestBody Comment body, Principal user) {
    actions.retryDocumentDelivery(user.getName(), id, body.comment());
    return new DocumentAction(id, "PENDING");
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT})
  @PostMapping("/messages/{id}/resend")
  @Operation(summary = "Deliver a SENT message again, same MessageHeader id (OPERATOR, ADMIN)")
  public MessageAction resend(
      @PathVariable String id, @Valid @RequestBody Comment body, Principal user) {
    actions.resend(user.getName(), id, body.comment());
    return new MessageAction(id, MessageState.VALIDATED.name());
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT})
  @PostMapping("/messages/{id}/edit")
  @Operation(
      summary =
          "Change recipient or canonical fields of a failed or held message and retry it (ADMIN)",
      description =
          "Editable fields: recipient.sor, recipient.gln, recipient.name, category, topic, priority, text."
              + " The comment is required; the canonical record before the edit is kept in the audit log.")
  public MessageAction edit(
      @PathVariable String id, @Valid @RequestBody Edit body, Principal user) {
    actions.editAndRetry(
        user.getName(), id, body.changes() == null ? Map.of() : body.changes(), body.comment());
    return new MessageAction(id, MessageState.RECEIVED.name());
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT})
  @PostMapping("/messages/{id}/discard")
  @Operation(summary = "End a failed or held message without delivery: DISCARDED (ADMIN)")
  public MessageAction discard(
      @PathVariable String id, @Valid @RequestBody Reason body, Principal user) {
    actions.discard(user.getName(), id, body.reason());
    return new MessageAction(id, MessageState.DISCARDED.name());
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT})
  @PostMapping("/messages/{id}/release")
  @Operation(
      summary =
          "Release a held message: into the gates again, or, when a delivery guard stopped it, to delivery as the same message; a consent hold needs a legal basis code, checked by the same rules as a record's (ADMIN)")
  public MessageAction release(
      @PathVariable String id, @Valid @RequestBody Release body, Principal user) {
    MessageState to =
        actions.release(
            user.getName(),
            id,
            new AdminActions.ConsentRelease(
                body.legalBasis(), body.purpose(), body.planReference()),
            body.justification());
    return new MessageAction(id, to.name());
  }

  @Refuses(HttpStatus.BAD_REQUEST)
  @PostMapping("/messages/retry-failed")
  @Operation(
      summary =
          "Retry the FAILED messages of a stage and/or reason text, at most 1000 (OPERATOR, ADMIN)")
  public AdminActions.BulkResult retryFailed(@Valid @RequestBody BulkRetry body, Principal user) {
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

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND})
  @PostMapping("/routes/{routeId}/suspend")
  @Operation(summary = "Suspend a route (ADMIN)")
  public RouteAction suspend(
      @PathVariable String routeId, @Valid @RequestBody Reason body, Principal user) {
    routes.suspend(user.getName(), routeId, body.reason());
    return new RouteAction(routeId, "suspended");
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND})
  @PostMapping("/routes/{routeId}/resume")
  @Operation(summary = "Resume a suspended route (ADMIN)")
  public RouteAction resume(
      @PathVariable String routeId, @Valid @RequestBody Reason body, Principal user) {
    routes.resume(user.getName(), routeId, body.reason());
    return new RouteAction(routeId, "resumed");
  }

  @Refuses(HttpStatus.BAD_REQUEST)
  @GetMapping("/audit")
  @Operation(summary = "The audit log, newest first (AUDITOR, ADMIN)")
  public AuditPage audit(
      @RequestParam(required = false) String entryId,
      @RequestParam(required = false) AuditAction action,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    if (page < 0 || size < 1 || size > 200) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "admin.audit.page");
    }
    String entry = entryId == null || entryId.isBlank() ? null : entryId;
    return new AuditPage(
        page, size, audit.count(entry, action), audit.list(entry, action, page, size));
  }

  /**
   * Who looked up or acted on this citizen, newest first: the DPO's answer to "who has looked at
   * me". The CPR number as the consent API takes it (with or without hyphen).
   */
  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.UNPROCESSABLE_ENTITY})
  @PostMapping("/audit/_search")
  @Operation(summary = "The audit log of one citizen, CPR number in the body (AUDITOR, ADMIN)")
  public AuditPage auditOfCitizen(@RequestBody AuditSearch search) {
    int page = search.page() == null ? 0 : search.page();
    int size = search.size() == null ? 50 : search.size();
    if (page < 0 || size < 1 || size > 200) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, IssueType.REQUIRED, "admin.audit.page");
    }
    String cpr = Cpr.normalise(search.cpr());
    if (!Cpr.isValid(cpr)) {
      throw ApiException.of(HttpStatus.UNPROCESSABLE_ENTITY, IssueType.INVALID, "admin.audit.cpr");
    }
    return new AuditPage(page, size, audit.countOfCitizen(cpr), audit.ofCitizen(cpr, page, size));
  }
}
