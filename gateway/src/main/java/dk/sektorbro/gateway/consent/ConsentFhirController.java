package dk.sektorbro.gateway.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import dk.sektorbro.gateway.consent.ConsentRegistry.ImportResult;
import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import dk.sektorbro.gateway.record.Cpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Consents as FHIR R4 Consent resources, for migration from and to other systems: one consent
 * ({@code GET /{id}/$fhir}), a citizen's consents as a collection Bundle or NDJSON ({@code GET
 * /$export?cpr=}), and import of a Consent, a Bundle of them or NDJSON ({@code POST /$import}; all
 * or nothing, already registered ids skipped).
 */
@RestController
@RequestMapping(ConsentController.BASE)
public class ConsentFhirController {

  static final String FHIR_JSON = "application/fhir+json";
  static final String NDJSON = "application/x-ndjson";

  private final ConsentRegistry registry;
  private final ConsentController api;
  private final OperationOutcomes outcomes;
  private final FhirContext fhir;
  private final ConsentFhirMapper mapper = new ConsentFhirMapper();

  public ConsentFhirController(
      ConsentRegistry registry,
      ConsentController api,
      OperationOutcomes outcomes,
      FhirContext fhir) {
    this.registry = registry;
    this.api = api;
    this.outcomes = outcomes;
    this.fhir = fhir;
  }

  @GetMapping("/{id}/$fhir")
  public ResponseEntity<?> one(@PathVariable String id) {
    return registry
        .find(id)
        .<ResponseEntity<?>>map(
            c ->
                ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(FHIR_JSON))
                    .body(parser().encodeResourceToString(mapper.toFhir(c))))
        .orElseGet(
            () ->
                outcomes.error(
                    HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no consent with id " + id));
  }

  @GetMapping("/$export")
  public ResponseEntity<?> export(
      @RequestParam(required = false) String cpr,
      @RequestParam(name = "_format", required = false) String format) {
    String normalised = Cpr.normalise(cpr);
    if (!Cpr.isValid(normalised)) {
      return api.unprocessable(
          List.of(new ConsentIssue("cpr", "cpr", "a valid CPR number is required to export")));
    }
    List<Consent> consents = registry.forCitizen(normalised).stream().map(mapper::toFhir).toList();
    if ("ndjson".equalsIgnoreCase(format)) {
      StringBuilder lines = new StringBuilder();
      consents.forEach(
          c -> lines.append(parser().setPrettyPrint(false).encodeResourceToString(c)).append('\n'));
      return ResponseEntity.ok()
          .contentType(MediaType.parseMediaType(NDJSON))
          .body(lines.toString());
    }
    Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    consents.forEach(c -> bundle.addEntry().setFullUrl("urn:uuid:" + c.getIdPart()).setResource(c));
    bundle.setTotal(consents.size());
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(FHIR_JSON))
        .body(parser().encodeResourceToString(bundle));
  }

  @PostMapping("/$import")
  public ResponseEntity<?> importConsents(
      @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String type,
      @RequestBody(required = false) String body) {
    List<Consent> consents;
    try {
      consents = type != null && type.contains("ndjson") ? ndjson(body) : resourceOrBundle(body);
    } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST,
          IssueType.STRUCTURE,
          "expected a FHIR Consent, a Bundle of Consents, or NDJSON with one Consent per line");
    }
    ImportResult result = registry.importAll(consents.stream().map(mapper::fromFhir).toList());
    if (!result.issues().isEmpty()) {
      List<MappingIssue> issues =
          result.issues().stream()
              .map(
                  i ->
                      new MappingIssue(
                          "entry[" + i.index() + "]." + i.issue().field(),
                          null,
                          i.issue().rule(),
                          i.issue().message()))
              .toList();
      return outcomes.refused(
          HttpStatus.UNPROCESSABLE_ENTITY, IssueType.INVALID, "import refused", issues, null);
    }
    return ResponseEntity.ok(Map.of("imported", result.imported(), "skipped", result.skipped()));
  }

  private List<Consent> resourceOrBundle(String body) {
    IBaseResource resource = parser().parseResource(body == null ? "" : body);
    if (resource instanceof Consent consent) {
      return List.of(consent);
    }
    List<Consent> consents = new ArrayList<>();
    for (Bundle.BundleEntryComponent entry : ((Bundle) resource).getEntry()) {
      consents.add((Consent) entry.getResource());
    }
    return consents;
  }

  private List<Consent> ndjson(String body) {
    List<Consent> consents = new ArrayList<>();
    for (String line : (body == null ? "" : body).split("\\R")) {
      if (!line.isBlank()) {
        consents.add(parser().parseResource(Consent.class, line));
      }
    }
    return consents;
  }

  private IParser parser() {
    return fhir.newJsonParser();
  }
}
