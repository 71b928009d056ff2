package dk.sektorbro.gateway.pipeline;

import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Refuses;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/mappings/{source}/$test}: an integrator tries a mapping on a record and sees
 * the canonical record, the consent and addressing decisions as they would be made now, the MedCom
 * message and its validation. Nothing is journaled and nothing is sent (ADMIN only: the answer
 * shows consent decisions about a citizen).
 */
@RestController
@RequestMapping("/api/v1/mappings")
public class MappingTestController {

  private static final Logger log = LoggerFactory.getLogger(MappingTestController.class);

  private final MappingRegistry mappings;
  private final DryRun dryRun;
  private final long limit;

  public MappingTestController(
      MappingRegistry mappings, DryRun dryRun, GatewayProperties properties) {
    this.mappings = mappings;
    this.dryRun = dryRun;
    this.limit = properties.intake().maxRecordSize().toBytes();
  }

  @Refuses({HttpStatus.NOT_FOUND, HttpStatus.PAYLOAD_TOO_LARGE})
  @PostMapping("/{source}/$test")
  public ResponseEntity<DryRun.Result> test(@PathVariable String source, HttpServletRequest request)
      throws IOException {
    MappingDefinition mapping =
        mappings
            .find(source)
            .orElseThrow(() -> ApiException.notFound("mappings.no-source", source));
    byte[] body =
        request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    if (body.length > limit) {
      throw ApiException.of(
          HttpStatus.PAYLOAD_TOO_LARGE,
          IssueType.TOOLONG,
          "mappings.too-large",
          String.valueOf(limit));
    }
    log.info("mapping dry run source={} bytes={}", source, body.length);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(dryRun.run(mapping, body, request.getContentType()));
  }
}
