package dk.sektorbro.gateway.addressing;

import dk.sektorbro.gateway.medcom.MessageTypes;
import dk.sektorbro.gateway.medcom.MessageTypes.MessageType;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import dk.sektorbro.gateway.record.CanonicalRecord.Organisation;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
public class RegistryController {

  private static final int REJECTIONS_SHOWN = 1000;

  private final RegistryService registry;
  private final AddressingProperties properties;
  private final OperationOutcomes outcomes;
  private final Clock clock;

  public RegistryController(
      RegistryService registry,
      AddressingProperties properties,
      OperationOutcomes outcomes,
      Clock clock) {
    this.registry = registry;
    this.properties = properties;
    this.outcomes = outcomes;
    this.clock = clock;
  }

  /** The request body of a dry run: an address as a source would write it, and the message type. */
  public record ResolveRequest(String sor, String gln, String name, String messageType) {}

  @PostMapping("/snapshots")
  public ResponseEntity<?> upload(HttpServletRequest request) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > properties.maxUploadSize().toBytes()) {
      return outcomes.error(
          HttpStatus.PAYLOAD_TOO_LARGE, IssueType.TOOCOSTLY, "registry upload too large");
    }
    try (RegistryUpload upload =
        RegistryUpload.spool(request.getInputStream(), properties.maxUploadSize().toBytes())) {
      RegistryImporter.Imported imported = registry.importSnapshot(upload);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("snapshot", imported.snapshot());
      body.put("rejections", imported.rejections().stream().limit(REJECTIONS_SHOWN).toList());
      return ResponseEntity.status(HttpStatus.CREATED)
          .header("Location", "/api/v1/registry/snapshots/" + imported.snapshot().id())
          .body(body);
    } catch (ImportFailure e) {
      return outcomes.error(HttpStatus.UNPROCESSABLE_ENTITY, IssueType.STRUCTURE, e.getMessage());
    }
  }

  @GetMapping("/snapshots")
  public Map<String, Object> snapshots() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("importing", registry.running().map(RegistryController::progress).orElse(null));
    body.put("items", registry.snapshots());
    return body;
  }

  @GetMapping("/snapshots/{id}")
  public ResponseEntity<?> snapshot(@PathVariable String id) {
    return registry
        .snapshot(id)
        .<ResponseEntity<?>>map(
            info -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("snapshot", info);
              body.put("rejections", registry.rejections(id, REJECTIONS_SHOWN));
              return ResponseEntity.ok(body);
            })
        .orElseGet(
            () ->
                outcomes.error(
                    HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no registry snapshot " + id));
  }

  @GetMapping("/units/{sor}")
  public ResponseEntity<?> unit(@PathVariable String sor) {
    Optional<RegistrySnapshot> active = registry.active();
    if (active.isEmpty()) {
      return noSnapshot();
    }
    RegistrySnapshot snapshot = active.get();
    String key = Identifiers.normalise(sor);
    if (Identifiers.classify(key, false) != IdentifierKind.SOR) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST, IssueType.VALUE, "not a valid SOR code (format or check digit)");
    }
    return snapshot
        .unit(key)
        .<ResponseEntity<?>>map(u -> ResponseEntity.ok(RegistryViews.unit(snapshot, u, today())))
        .orElseGet(
            () ->
                outcomes.error(
                    HttpStatus.NOT_FOUND,
                    IssueType.NOTFOUND,
                    "SOR " + key + " is not in the active snapshot " + snapshot.info().id()));
  }

  @GetMapping("/locations/{gln}")
  public ResponseEntity<?> location(@PathVariable String gln) {
    Optional<RegistrySnapshot> active = registry.active();
    if (active.isEmpty()) {
      return noSnapshot();
    }
    RegistrySnapshot snapshot = active.get();
    String key = Identifiers.normalise(gln);
    if (Identifiers.classify(key, true) != IdentifierKind.GLN) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.VALUE,
          "not a valid EAN/GLN (13 digits, GS1 check digit)");
    }
    if (snapshot.locations(key).isEmpty()) {
      return outcomes.error(
          HttpStatus.NOT_FOUND,
          IssueType.NOTFOUND,
          "EAN " + key + " is not in the active snapshot " + snapshot.info().id());
    }
    return ResponseEntity.ok(RegistryViews.location(snapshot, key));
  }

  @PostMapping("/resolve")
  public ResponseEntity<?> resolve(@RequestBody ResolveRequest request) {
    Optional<RegistrySnapshot> active = registry.active();
    if (active.isEmpty()) {
      return noSnapshot();
    }
    Optional<MessageType> type =
        MessageTypes.find(
            request.messageType() == null ? "CareCommunication" : request.messageType());
    if (type.isEmpty()) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.VALUE,
          "messageType: unknown; expected e.g. CareCommunication or care-communication-message");
    }
    Resolution resolution =
        new AddressResolver(properties.policy())
            .resolve(
                new Organisation(request.sor(), request.gln(), request.name()),
                type.get(),
                active.get(),
                today(),
                false);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("snapshotId", active.get().info().id());
    body.put("messageType", type.get().eventCode());
    body.put("resolution", resolution);
    return ResponseEntity.ok(body);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<String> unreadable(HttpMessageNotReadableException e) {
    return outcomes.error(
        HttpStatus.BAD_REQUEST,
        IssueType.STRUCTURE,
        "expected a JSON object with sor, gln, name and messageType (all optional)");
  }

  private ResponseEntity<String> noSnapshot() {
    return outcomes.error(
        HttpStatus.SERVICE_UNAVAILABLE, IssueType.NOTFOUND, "no registry snapshot is active");
  }

  private LocalDate today() {
    return LocalDate.now(clock.withZone(AddressingGate.REGISTER_ZONE));
  }

  private static Map<String, Object> progress(ImportProgress p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("importId", p.importId());
    m.put("source", p.source());
    m.put("startedAt", p.startedAt());
    m.put("phase", p.phase());
    m.put("unitsRead", p.unitsRead());
    m.put("rowsToStore", p.rowsToStore());
    m.put("rowsStored", p.rowsStored());
    return m;
  }
}
