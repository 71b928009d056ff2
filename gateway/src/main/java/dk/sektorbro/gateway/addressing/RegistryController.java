package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.addressing.RegistryViews.LocationView;
import dk.sektorbro.gateway.addressing.RegistryViews.ResolveView;
import dk.sektorbro.gateway.addressing.RegistryViews.SnapshotDetail;
import dk.sektorbro.gateway.addressing.RegistryViews.Snapshots;
import dk.sektorbro.gateway.addressing.RegistryViews.UnitView;
import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.medcom.MessageTypes.MessageType;
import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Refuses;
import dk.sektorbro.gateway.platform.web.UnreadableBody;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.time.LocalDate;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/registry}: upload and list snapshots, look units and postboxes up in the active
 * snapshot, and a dry run of addressing with its rule trail. Errors are OperationOutcomes.
 */
@RestController
@RequestMapping("/api/v1/registry")
@UnreadableBody(key = "registry.resolve.unreadable", type = "structure")
public class RegistryController {

  private static final int REJECTIONS_SHOWN = 1000;

  private final RegistryService registry;
  private final AddressingProperties properties;
  private final Clock clock;

  public RegistryController(
      RegistryService registry, AddressingProperties properties, Clock clock) {
    this.registry = registry;
    this.properties = properties;
    this.clock = clock;
  }

  /** The request body of a dry run: an address as a source would write it, and the message type. */
  public record ResolveRequest(String sor, String gln, String name, String messageType) {}

  /** A registry export (the SOR formats of docs/addressing.md) as the request body. */
  @Refuses({HttpStatus.PAYLOAD_TOO_LARGE, HttpStatus.UNPROCESSABLE_ENTITY})
  @PostMapping("/snapshots")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      content =
          @Content(
              mediaType = "application/octet-stream",
              schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(
      responseCode = "201",
      description = "imported and active; Location names the snapshot",
      content = @Content(schema = @Schema(implementation = SnapshotDetail.class)))
  public ResponseEntity<SnapshotDetail> upload(HttpServletRequest request, Principal user)
      throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > properties.maxUploadSize().toBytes()) {
      throw ApiException.of(
          HttpStatus.PAYLOAD_TOO_LARGE, IssueType.TOOCOSTLY, "registry.upload.too-large");
    }
    try (RegistryUpload upload =
        RegistryUpload.spool(request.getInputStream(), properties.maxUploadSize().toBytes())) {
      RegistryImporter.Imported imported = registry.importSnapshot(upload, user.getName());
      return ResponseEntity.status(HttpStatus.CREATED)
          .header("Location", "/api/v1/registry/snapshots/" + imported.snapshot().id())
          .body(
              new SnapshotDetail(
                  imported.snapshot(),
                  imported.rejections().stream().limit(REJECTIONS_SHOWN).toList()));
    } catch (ImportFailure e) {
      throw ApiException.of(
          HttpStatus.UNPROCESSABLE_ENTITY,
          IssueType.STRUCTURE,
          "registry.upload.refused",
          e.getMessage());
    }
  }

  @GetMapping("/snapshots")
  public Snapshots snapshots() {
    return new Snapshots(
        registry.running().map(RegistryViews::progress).orElse(null), registry.snapshots());
  }

  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping("/snapshots/{id}")
  public SnapshotDetail snapshot(@PathVariable String id) {
    return registry
        .snapshot(id)
        .map(info -> new SnapshotDetail(info, registry.rejections(id, REJECTIONS_SHOWN)))
        .orElseThrow(() -> ApiException.notFound("registry.snapshot.not-found", id));
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.SERVICE_UNAVAILABLE})
  @GetMapping("/units/{sor}")
  public UnitView unit(@PathVariable String sor) {
    RegistrySnapshot snapshot = active();
    String key = Identifiers.normalise(sor);
    if (Identifiers.classify(key, false) != IdentifierKind.SOR) {
      throw ApiException.badValue("registry.sor.invalid");
    }
    return snapshot
        .unit(key)
        .map(u -> RegistryViews.unit(snapshot, u, today()))
        .orElseThrow(
            () -> ApiException.notFound("registry.sor.not-found", key, snapshot.info().id()));
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.SERVICE_UNAVAILABLE})
  @GetMapping("/locations/{gln}")
  public LocationView location(@PathVariable String gln) {
    RegistrySnapshot snapshot = active();
    String key = Identifiers.normalise(gln);
    if (Identifiers.classify(key, true) != IdentifierKind.GLN) {
      throw ApiException.badValue("registry.gln.invalid");
    }
    if (snapshot.locations(key).isEmpty()) {
      throw ApiException.notFound("registry.gln.not-found", key, snapshot.info().id());
    }
    return RegistryViews.location(snapshot, key);
  }

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.SERVICE_UNAVAILABLE})
  @PostMapping("/resolve")
  public ResolveView resolve(@Valid @RequestBody ResolveRequest request) {
    RegistrySnapshot snapshot = active();
    MessageType type =
        MessageTypes.find(
                request.messageType() == null ? "CareCommunication" : request.messageType())
            .orElseThrow(() -> ApiException.badValue("registry.resolve.message-type"));
    Resolution resolution =
        new AddressResolver(properties.policy())
            .resolve(
                new Organisation(request.sor(), request.gln(), request.name()),
                type,
                snapshot,
                today(),
                false);
    return new ResolveView(snapshot.info().id(), type.eventCode(), resolution);
  }

  private RegistrySnapshot active() {
    return registry
        .active()
        .orElseThrow(
            () ->
                ApiException.of(
                    HttpStatus.SERVICE_UNAVAILABLE, IssueType.NOTFOUND, "registry.no-snapshot"));
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(AddressingGate.REGISTER_ZONE));
  }
}
