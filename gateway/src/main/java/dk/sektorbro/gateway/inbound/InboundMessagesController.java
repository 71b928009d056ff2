package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import java.util.Locale;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Messages received from hospitals (ADMIN), newest first: what was answered, which system got each
 * and why one was kept ({@code ?handover=KEPT}). Never the content or the citizen.
 */
@RestController
public class InboundMessagesController {

  private final InboundRepository repository;
  private final OperationOutcomes outcomes;

  public InboundMessagesController(InboundRepository repository, OperationOutcomes outcomes) {
    this.repository = repository;
    this.outcomes = outcomes;
  }

  @GetMapping("/api/v1/inbound-messages")
  public ResponseEntity<?> recent(
      @RequestParam(required = false) String handover,
      @RequestParam(defaultValue = "100") int size) {
    String status = handover == null ? null : handover.toUpperCase(Locale.ROOT);
    if (status != null && !status.equals("KEPT") && !status.equals("HANDED_OVER")) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST, IssueType.VALUE, "handover: KEPT or HANDED_OVER");
    }
    return ResponseEntity.ok(repository.recent(status, Math.max(1, Math.min(size, 1000))));
  }
}
