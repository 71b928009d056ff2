package dk.sektorbro.gateway.inbound;

import dk.sektorbro.gateway.platform.web.Refuses;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Acknowledgements that changed nothing (unknown, duplicate, late, unreadable, refused signature),
 * newest first, for an admin to look into. Content is not returned here (it may hold personal
 * data).
 */
@RestController
public class UnmatchedAcknowledgementsController {

  private final AcknowledgementService acknowledgements;

  public UnmatchedAcknowledgementsController(AcknowledgementService acknowledgements) {
    this.acknowledgements = acknowledgements;
  }

  @Refuses(HttpStatus.BAD_REQUEST)
  @GetMapping("/api/v1/acknowledgements/unmatched")
  public List<UnmatchedAcknowledgements.UnmatchedRow> recent(
      @RequestParam(defaultValue = "100") int size) {
    return acknowledgements.unmatched(Math.max(1, Math.min(size, 1000)));
  }
}
