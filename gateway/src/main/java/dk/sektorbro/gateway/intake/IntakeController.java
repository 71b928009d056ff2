package dk.sektorbro.gateway.intake;

import dk.sektorbro.gateway.intake.IntakeResult.Outcome;
import dk.sektorbro.gateway.journal.Channel;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.GatewayProperties;
import dk.sektorbro.gateway.platform.web.ApiPaths;
import dk.sektorbro.gateway.platform.web.Refuses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/records/{source}}: a municipal system submits one record. Everything that
 * arrives is journaled, accepted or not; the body is read with a hard size limit, never whole.
 */
@RestController
@RequestMapping("/api/v1/records")
public class IntakeController {

  private final IntakeService intake;
  private final MappingRegistry mappings;
  private final SubmitPermission permission;
  private final long limit;

  public IntakeController(
      IntakeService intake,
      MappingRegistry mappings,
      SubmitPermission permission,
      GatewayProperties properties) {
    this.intake = intake;
    this.mappings = mappings;
    this.permission = permission;
    this.limit = properties.intake().maxRecordSize().toBytes();
  }

  /**
   * A record taken into the journal: its journal id, its state, and whether it was there before.
   */
  public record Accepted(String id, String state, boolean duplicate) {}

  @Refuses({
    HttpStatus.BAD_REQUEST,
    HttpStatus.FORBIDDEN,
    HttpStatus.NOT_FOUND,
    HttpStatus.PAYLOAD_TOO_LARGE,
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    HttpStatus.UNPROCESSABLE_ENTITY
  })
  @PostMapping("/{source}")
  @ApiResponse(
      responseCode = "202",
      description = "journaled; Location names the entry (200 for a duplicate)",
      content = @Content(schema = @Schema(implementation = Accepted.class)))
  @RequestBody(
      content = @Content(schema = @Schema(type = "string", description = "the source's record")))
  public ResponseEntity<Accepted> submit(
      @PathVariable String source, HttpServletRequest request, Principal client)
      throws IOException {
    String contentType = request.getContentType();
    long declared = request.getContentLengthLong();
    // Decided on the very source string the mapping is looked up by; the body is never read, so
    // nothing of the record is kept.
    if (!permission.permits(client, source)) {
      IntakeResult result =
          refuseUnread(
              source,
              contentType,
              Math.max(declared, 0),
              Outcome.FORBIDDEN,
              "intake.forbidden",
              client.getName(),
              source);
      permission.refused(client, source, result.id(), request.getRemoteAddr());
      return respond(result);
    }
    if (declared > limit) {
      return respond(
          refuseUnread(
              source,
              contentType,
              declared,
              Outcome.TOO_LARGE,
              "intake.too-large",
              String.valueOf(declared),
              String.valueOf(limit)));
    }
    byte[] body = readLimited(request.getInputStream());
    if (body == null) {
      return respond(
          refuseUnread(
              source,
              contentType,
              limit + 1,
              Outcome.TOO_LARGE,
              "intake.too-large",
              String.valueOf(limit + 1),
              String.valueOf(limit)));
    }
    IntakeRequest item = IntakeRequest.of(source, Channel.REST, body, contentType, null);
    Optional<MappingDefinition> mapping = mappings.find(source);
    if (mapping.isPresent() && !mapping.get().format().accepts(mediaType(contentType))) {
      String format = String.valueOf(mapping.get().format());
      return respond(
          contentType == null
              ? intake.refuse(
                  item, Outcome.UNSUPPORTED_MEDIA_TYPE, "intake.media-type.none", source, format)
              : intake.refuse(
                  item,
                  Outcome.UNSUPPORTED_MEDIA_TYPE,
                  "intake.media-type",
                  source,
                  format,
                  contentType));
    }
    return respond(intake.receive(item));
  }

  /** Journals a submission refused before its body is read: nothing of the record is kept. */
  private IntakeResult refuseUnread(
      String source,
      String contentType,
      long size,
      Outcome outcome,
      String reasonKey,
      Object... reasonArguments) {
    return intake.refuse(
        IntakeRequest.unread(
            source, Channel.REST, contentType, null, size, "unread:" + UUID.randomUUID(), null),
        outcome,
        reasonKey,
        reasonArguments);
  }

  /** The accepted record's answer; any other result is refused through the API's error answer. */
  private static ResponseEntity<Accepted> respond(IntakeResult result) {
    if (result.outcome() != Outcome.ACCEPTED) {
      throw IntakeRefused.of(result);
    }
    return ResponseEntity.status(result.duplicate() ? HttpStatus.OK : HttpStatus.ACCEPTED)
        .header(HttpHeaders.LOCATION, ApiPaths.message(result.id()))
        .contentType(MediaType.APPLICATION_JSON)
        .body(new Accepted(result.id(), result.state().name(), result.duplicate()));
  }

  // Reads at most limit bytes; null when the body is longer (chunked bodies have no declared
  // length).
  private byte[] readLimited(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    return bytes.length > limit ? null : bytes;
  }

  private static MediaType mediaType(String contentType) {
    try {
      return contentType == null ? null : MediaType.parseMediaType(contentType);
    } catch (InvalidMediaTypeException e) {
      return null;
    }
  }
}
