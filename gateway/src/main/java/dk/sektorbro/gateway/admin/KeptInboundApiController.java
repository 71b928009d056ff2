package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.platform.web.Refuses;
import dk.sektorbro.gateway.platform.web.UnreadableBody;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Received messages kept from their municipal system (listed by {@code GET
 * /api/v1/inbound-messages?handover=KEPT}): released or discarded by an ADMIN (the API chain's
 * default role), as in the console.
 */
@RestController
@RequestMapping("/api/v1/inbound-messages")
@UnreadableBody(key = "admin.body.unreadable", type = "invalid")
@Tag(name = "admin")
public class KeptInboundApiController {

  private final KeptInboundActions actions;

  public KeptInboundApiController(KeptInboundActions actions) {
    this.actions = actions;
  }

  /** A kept received message after an action: its hand-over status and the row's reason. */
  public record InboundAction(String id, String handoverStatus, String reason) {}

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT})
  @PostMapping("/{id}/release")
  @Operation(
      summary =
          "Hand a kept received message over to its municipal system on the administrator's word (the consent is checked again; a citizen's refusal is never overridden) (ADMIN)")
  public InboundAction release(
      @PathVariable String id,
      @Valid @RequestBody AdminApiController.Comment body,
      Principal user) {
    String reason = actions.release(user.getName(), id, body.comment());
    return new InboundAction(id, "HANDED_OVER", reason);
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT})
  @PostMapping("/{id}/discard")
  @Operation(
      summary =
          "Never hand a kept received message over: DISCARDED, its content and citizen deleted (ADMIN)")
  public InboundAction discard(
      @PathVariable String id, @Valid @RequestBody AdminApiController.Reason body, Principal user) {
    actions.discard(user.getName(), id, body.reason());
    return new InboundAction(id, "DISCARDED", null);
  }
}
