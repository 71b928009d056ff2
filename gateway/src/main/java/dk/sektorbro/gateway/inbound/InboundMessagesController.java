package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Refuses;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Messages received from hospitals (ADMIN), newest first: what was answered, which system got each
 * and why one was kept ({@code ?handover=KEPT}; an administrator releases or discards those:
 * admin.KeptInboundActions). Never the content or the citizen.
 */
@RestController
public class InboundMessagesController {

  private final InboundMessages messages;

  public InboundMessagesController(InboundMessages messages) {
    this.messages = messages;
  }

  @Refuses(HttpStatus.BAD_REQUEST)
  @GetMapping("/api/v1/inbound-messages")
  public List<InboundRepository.InboundMessageRow> recent(
      @RequestParam(required = false) String handover,
      @RequestParam(defaultValue = "100") int size) {
    String status = handover == null ? null : handover.toUpperCase(Locale.ROOT);
    if (status != null && !List.of("KEPT", "HANDED_OVER", "DISCARDED").contains(status)) {
      throw ApiException.badValue("inbound.handover");
    }
    return messages.recent(status, Math.max(1, Math.min(size, 1000)));
  }
}
