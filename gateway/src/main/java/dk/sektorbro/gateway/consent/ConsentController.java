package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.consent.ConsentValidator.Result;
import dk.sektorbro.gateway.mapping.MappingIssue;
import dk.sektorbro.gateway.platform.web.OperationOutcomes;
import dk.sektorbro.gateway.record.Cpr;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The consent registry's API: record, list by citizen, read, revoke. Bodies are read as text and
 * parsed here so that malformed JSON is a 400 OperationOutcome like every other error; a consent
 * that breaks a rule is a 422 naming field and rule. FHIR import and export: {@link
 * ConsentFhirController}.
 */
@RestController
@RequestMapping("/api/v1/consents")
public class ConsentController {

  static final String BASE = "/api/v1/consents";

  private final ConsentRegistry registry;
  private final OperationOutcomes outcomes;
  private final ObjectMapper json;
  private final Clock clock;

  private final DisclosureFollowUp followUp;

  public ConsentController(
      ConsentRegistry registry,
      OperationOutcomes outcomes,
      ObjectMapper json,
      Clock clock,
      DisclosureFollowUp followUp) {
    this.followUp = followUp;
    this.registry = registry;
    this.outcomes = outcomes;
    this.json = json;
    this.clock = clock;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> record(@RequestBody(required = false) String body) {
    Optional<ConsentInput> input = parse(body, ConsentInput.class);
    if (input.isEmpty()) {
      return malformed();
    }
    Result result = registry.record(input.get());
    if (!result.valid()) {
      return unprocessable(result.issues());
    }
    return ResponseEntity.created(URI.create(BASE + "/" + result.record().id()))
        .body(ConsentJson.view(result.record(), now()));
  }

  @GetMapping
  public ResponseEntity<?> list(@RequestParam(required = false) String cpr) {
    String normalised = Cpr.normalise(cpr);
    if (!Cpr.isValid(normalised)) {
      return unprocessable(
          List.of(
              new ConsentIssue("cpr", "cpr", "a valid CPR number is required to list consents")));
    }
    List<ConsentRecord> consents = registry.forCitizen(normalised);
    return ResponseEntity.ok(
        Map.of("total", consents.size(), "items", ConsentJson.views(consents, now())));
  }

  @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> get(@PathVariable String id) {
    return registry
        .find(id)
        .<ResponseEntity<?>>map(c -> ResponseEntity.ok(ConsentJson.view(c, now())))
        .orElseGet(() -> notFound(id));
  }

  /**
   * Disclosures made on a consent whose revocation, recorded later, dates from before them (DPO
   * follow-up).
   */
  @GetMapping(value = "/$late-revocations", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<?> lateRevocations() {
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("total", followUp.lateRevocationCount());
    body.put("items", followUp.lateRevocations(1000));
    return ResponseEntity.ok(body);
  }

  /**
   * Disclosures made on a legal basis without consent, by month, basis, source and sender kind;
   * {@code from}/{@code to} are ISO dates (default: the last 12 months), {@code legalBasis} one
   * basis code and {@code sender} a source or sender kind (default: all); {@code format=csv} for
   * CSV.
   */
  @GetMapping("/$legal-basis-report")
  public ResponseEntity<?> legalBasisReport(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String legalBasis,
      @RequestParam(required = false) String sender,
      @RequestParam(required = false) String format) {
    DisclosureFollowUp.ReportQuery query;
    try {
      query = DisclosureFollowUp.ReportQuery.of(from, to, legalBasis, sender, clock);
    } catch (java.time.format.DateTimeParseException e) {
      return outcomes.error(
          HttpStatus.BAD_REQUEST, IssueType.VALUE, "from/to: expected ISO dates, e.g. 2026-01-01");
    }
    java.time.LocalDate since = query.from();
    java.time.LocalDate until = query.to();
    List<DisclosureFollowUp.BasisCount> report = followUp.legalBasisReport(query);
    if ("csv".equalsIgnoreCase(format)) {
      return ResponseEntity.ok()
          .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
          .header("Content-Disposition", "attachment; filename=\"legal-basis-disclosures.csv\"")
          .body(DisclosureFollowUp.csv(report));
    }
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("from", since.toString());
    body.put("to", until.toString());
    body.put("legalBasis", query.legalBasis());
    body.put("sender", query.sender());
    body.put("items", report);
    return ResponseEntity.ok(body);
  }

  @PostMapping("/{id}/revoke")
  public ResponseEntity<?> revoke(
      @PathVariable String id, @RequestBody(required = false) String body) {
    Optional<ConsentInput.Revocation> input =
        body == null || body.isBlank()
            ? Optional.of(new ConsentInput.Revocation(null, null, null))
            : parse(body, ConsentInput.Revocation.class);
    if (input.isEmpty()) {
      return malformed();
    }
    Optional<Result> result = registry.revoke(id, input.get());
    if (result.isEmpty()) {
      return notFound(id);
    }
    if (result.get().issues().stream().anyMatch(i -> i.rule().equals("already-revoked"))) {
      return outcomes.error(
          HttpStatus.CONFLICT, IssueType.CONFLICT, "consent " + id + " was revoked before");
    }
    if (!result.get().valid()) {
      return unprocessable(result.get().issues());
    }
    return ResponseEntity.ok(ConsentJson.view(result.get().record(), now()));
  }

  ResponseEntity<String> unprocessable(List<ConsentIssue> issues) {
    List<MappingIssue> named =
        issues.stream().map(i -> new MappingIssue(i.field(), null, i.rule(), i.message())).toList();
    return outcomes.refused(
        HttpStatus.UNPROCESSABLE_ENTITY, IssueType.INVALID, "consent not accepted", named, null);
  }

  private ResponseEntity<String> notFound(String id) {
    return outcomes.error(HttpStatus.NOT_FOUND, IssueType.NOTFOUND, "no consent with id " + id);
  }

  private ResponseEntity<String> malformed() {
    return outcomes.error(
        HttpStatus.BAD_REQUEST,
        IssueType.STRUCTURE,
        "the body is not a JSON object of the expected shape");
  }

  private <T> Optional<T> parse(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(json.readValue(body, type));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
