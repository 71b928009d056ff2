package dk.sektorbro.gateway.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.consent.ConsentRegistry.ImportResult;
import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.Issue;
import dk.sektorbro.gateway.platform.web.Refuses;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
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
 * ({@code GET /{id}/$fhir}), a citizen's consents as a collection Bundle or NDJSON ({@code POST
 * /$export} with the CPR number in the body, or {@code GET /$export?cpr=}), and import of a
 * Consent, a Bundle of them or NDJSON ({@code POST /$import}; all or nothing, already registered
 * ids skipped).
 */
@RestController
@RequestMapping(ConsentController.BASE)
public class ConsentFhirController {

  static final String FHIR_JSON = "application/fhir+json";
  static final String NDJSON = "application/x-ndjson";

  private final ConsentRegistry registry;
  private final FhirContext fhir;
  private final MessageSource messages;
  private final ConsentFhirMapper mapper = new ConsentFhirMapper();

  private final ApplicationEventPublisher events;
  private final ObjectMapper json;

  public ConsentFhirController(
      ConsentRegistry registry,
      FhirContext fhir,
      MessageSource messages,
      ApplicationEventPublisher events,
      ObjectMapper json) {
    this.json = json;
    this.events = events;
    this.registry = registry;
    this.messages = messages;
    this.fhir = fhir;
  }

  /**
   * What an import did: consents registered, those skipped as already registered and unchanged, and
   * registered ones the import revoked (the other system's export says they were revoked since).
   */
  public record ImportSummary(int imported, int skipped, int revoked) {}

  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping("/{id}/$fhir")
  public ResponseEntity<String> one(@PathVariable String id, Principal user) {
    ConsentRecord consent = registry.find(id).orElseThrow(() -> ConsentErrors.notFound(id));
    events.publishEvent(ConsentRead.of(user, List.of(consent), "one consent as FHIR"));
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(FHIR_JSON))
        .body(parser().encodeResourceToString(mapper.toFhir(consent)));
  }

  /**
   * The citizen's consents as FHIR. The CPR number is in the URL, which the access log of a reverse
   * proxy in front of the gateway keeps: {@link #exportSearch} takes it in the body.
   */
  @Refuses(HttpStatus.UNPROCESSABLE_ENTITY)
  @GetMapping("/$export")
  public ResponseEntity<String> export(
      @RequestParam(required = false) String cpr,
      @RequestParam(name = "_format", required = false) String format,
      Principal user) {
    return export(cpr, format, user, "the FHIR export");
  }

  /** As {@link #export}, the CPR number in the body ({@link ConsentSearch}). */
  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.UNPROCESSABLE_ENTITY})
  @PostMapping(value = "/$export", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> exportSearch(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @io.swagger.v3.oas.annotations.media.Content(
                      schema =
                          @io.swagger.v3.oas.annotations.media.Schema(
                              implementation = ConsentSearch.class)))
          @RequestBody(required = false)
          String body,
      @RequestParam(name = "_format", required = false) String format,
      Principal user) {
    return export(ConsentSearch.read(json, body).cpr(), format, user, "the FHIR export (POST)");
  }

  private ResponseEntity<String> export(String cpr, String format, Principal user, String how) {
    String normalised = ConsentErrors.validCpr(cpr, messages, "consent.cpr.export");
    List<ConsentRecord> records = registry.forCitizen(normalised);
    events.publishEvent(ConsentRead.lookUp(user, normalised, records, how));
    List<Consent> consents = records.stream().map(mapper::toFhir).toList();
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

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.CONFLICT, HttpStatus.UNPROCESSABLE_ENTITY})
  @PostMapping("/$import")
  public ImportSummary importConsents(
      @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String type,
      @RequestBody(required = false) String body,
      Principal user) {
    List<Consent> consents;
    try {
      consents = type != null && type.contains("ndjson") ? ndjson(body) : resourceOrBundle(body);
    } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
      throw ApiException.of(
          HttpStatus.BAD_REQUEST, IssueType.STRUCTURE, "consent.import.malformed");
    }
    List<Issue> unimportable = new ArrayList<>();
    for (int i = 0; i < consents.size(); i++) {
      for (ConsentFhirMapper.Unimportable u : mapper.unimportable(consents.get(i))) {
        unimportable.add(
            Issue.of(
                    u.field(),
                    u.rule(),
                    messages.getMessage("consent.issue.fhir-" + u.rule(), null, Locale.ROOT))
                .under("entry[" + i + "]."));
      }
    }
    if (!unimportable.isEmpty()) {
      throw ApiException.unprocessable("consent.import.refused", unimportable);
    }
    ImportResult result;
    try {
      result = registry.importAll(consents.stream().map(mapper::fromFhir).toList(), user.getName());
    } catch (ConsentRegistry.ImportConflict e) {
      throw ApiException.of(HttpStatus.CONFLICT, IssueType.CONFLICT, "consent.import.concurrent");
    }
    if (!result.issues().isEmpty()) {
      throw ApiException.unprocessable(
          "consent.import.refused",
          result.issues().stream().map(i -> i.issue().under("entry[" + i.index() + "].")).toList());
    }
    return new ImportSummary(result.imported(), result.skipped(), result.revoked());
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
