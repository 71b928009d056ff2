package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.consent.ConsentJson.ConsentList;
import dk.sektorbro.gateway.consent.ConsentJson.ConsentView;
import dk.sektorbro.gateway.consent.ConsentValidator.Result;
import dk.sektorbro.gateway.platform.web.ApiException;
import dk.sektorbro.gateway.platform.web.FilterDates;
import dk.sektorbro.gateway.platform.web.Refuses;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
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
 * parsed here so that malformed JSON is a 400 OperationOutcome like every other error (the OpenAPI
 * document still names their schema); a consent that breaks a rule is a 422 naming field and rule.
 * FHIR import and export: {@link ConsentFhirController}.
 */
@RestController
@RequestMapping(ConsentController.BASE)
public class ConsentController {

  static final String BASE = "/api/v1/consents";

  private final ConsentRegistry registry;
  private final ObjectMapper json;
  private final Clock clock;
  private final DisclosureFollowUp followUp;
  private final MessageSource messages;
  private final ApplicationEventPublisher events;

  public ConsentController(
      ConsentRegistry registry,
      ObjectMapper json,
      Clock clock,
      DisclosureFollowUp followUp,
      MessageSource messages,
      ApplicationEventPublisher events) {
    this.events = events;
    this.followUp = followUp;
    this.messages = messages;
    this.registry = registry;
    this.json = json;
    this.clock = clock;
  }

  /** Disclosures made on a consent revoked, as recorded later, before them. */
  public record LateRevocations(long total, List<DisclosureFollowUp.LateRevocation> items) {}

  /** The legal-basis report as JSON: the period and filters asked for, and the counts. */
  public record LegalBasisReport(
      String from,
      String to,
      String legalBasis,
      String sender,
      List<DisclosureFollowUp.BasisCount> items) {}

  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.UNPROCESSABLE_ENTITY})
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @ApiResponse(
      responseCode = "201",
      description = "recorded; Location names it",
      content = @Content(schema = @Schema(implementation = ConsentView.class)))
  public ResponseEntity<ConsentView> record(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(schema = @Schema(implementation = ConsentInput.class)))
          @RequestBody(required = false)
          String body,
      Principal user) {
    Result result = registry.record(parse(body, ConsentInput.class), user.getName());
    if (!result.valid()) {
      throw ConsentErrors.notAccepted(result.issues());
    }
    return ResponseEntity.created(URI.create(BASE + "/" + result.record().id()))
        .body(ConsentJson.view(result.record(), now()));
  }

  /**
   * The citizen's consents. The CPR number is in the URL, which the access log of a reverse proxy
   * in front of the gateway keeps: {@link #search} takes it in the body.
   */
  @Refuses(HttpStatus.UNPROCESSABLE_ENTITY)
  @GetMapping
  public ConsentList list(@RequestParam(required = false) String cpr, Principal user) {
    return citizensConsents(cpr, user, "the citizen's consent list");
  }

  /**
   * The citizen's consents as {@link #list}, the CPR number in the body ({@link ConsentSearch}).
   */
  @Refuses({HttpStatus.BAD_REQUEST, HttpStatus.UNPROCESSABLE_ENTITY})
  @PostMapping(
      value = "/_search",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ConsentList search(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(schema = @Schema(implementation = ConsentSearch.class)))
          @RequestBody(required = false)
          String body,
      Principal user) {
    return citizensConsents(parse(body, ConsentSearch.class).cpr(), user, "the consent search");
  }

  private ConsentList citizensConsents(String cpr, Principal user, String how) {
    String citizen = ConsentErrors.validCpr(cpr, messages, "consent.cpr.list");
    List<ConsentRecord> consents = registry.forCitizen(citizen);
    events.publishEvent(ConsentRead.lookUp(user, citizen, consents, how));
    return new ConsentList(consents.size(), ConsentJson.views(consents, now()));
  }

  @Refuses(HttpStatus.NOT_FOUND)
  @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ConsentView get(@PathVariable String id, Principal user) {
    ConsentRecord consent = registry.find(id).orElseThrow(() -> ConsentErrors.notFound(id));
    events.publishEvent(ConsentRead.of(user, List.of(consent), "one consent"));
    return ConsentJson.view(consent, now());
  }

  /**
   * Disclosures made on a consent whose revocation, recorded later, dates from before them (DPO
   * follow-up).
   */
  @GetMapping(value = "/$late-revocations", produces = MediaType.APPLICATION_JSON_VALUE)
  public LateRevocations lateRevocations() {
    return new LateRevocations(followUp.lateRevocationCount(), followUp.lateRevocations(1000));
  }

  /**
   * Disclosures made on a legal basis without consent, by month, basis, source and sender kind;
   * {@code from}/{@code to} are ISO dates (default: the last 12 months), {@code legalBasis} one
   * basis code and {@code sender} a source or sender kind (default: all); {@code format=csv} for
   * CSV.
   */
  @Refuses(HttpStatus.BAD_REQUEST)
  @GetMapping("/$legal-basis-report")
  @ApiResponse(
      responseCode = "200",
      content = {
        @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = LegalBasisReport.class)),
        @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
      })
  public ResponseEntity<Object> legalBasisReport(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String legalBasis,
      @RequestParam(required = false) String sender,
      @RequestParam(required = false) String format) {
    DisclosureFollowUp.ReportQuery query;
    try {
      // Years 0001-9999 only, as the console's report: java.time also reads +999999999-12-31,
      // which PostgreSQL cannot hold (500 before).
      query =
          DisclosureFollowUp.ReportQuery.of(
              FilterDates.dayOrBlank(from), FilterDates.dayOrBlank(to), legalBasis, sender, clock);
    } catch (DateTimeParseException e) {
      throw ApiException.badValue("consent.report.dates");
    }
    LocalDate since = query.from();
    LocalDate until = query.to();
    List<DisclosureFollowUp.BasisCount> report = followUp.legalBasisReport(query);
    if ("csv".equalsIgnoreCase(format)) {
      return ResponseEntity.ok()
          .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
          .header("Content-Disposition", "attachment; filename=\"legal-basis-disclosures.csv\"")
          .body(DisclosureFollowUp.csv(report));
    }
    return ResponseEntity.ok(
        new LegalBasisReport(
            since.toString(), until.toString(), query.legalBasis(), query.sender(), report));
  }

  @Refuses({
    HttpStatus.BAD_REQUEST,
    HttpStatus.NOT_FOUND,
    HttpStatus.CONFLICT,
    HttpStatus.UNPROCESSABLE_ENTITY
  })
  @PostMapping("/{id}/revoke")
  public ConsentView revoke(
      @PathVariable String id,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content = @Content(schema = @Schema(implementation = ConsentInput.Revocation.class)))
          @RequestBody(required = false)
          String body,
      Principal user) {
    ConsentInput.Revocation input =
        body == null || body.isBlank()
            ? new ConsentInput.Revocation(null, null, null)
            : parse(body, ConsentInput.Revocation.class);
    Result result =
        registry.revoke(id, input, user.getName()).orElseThrow(() -> ConsentErrors.notFound(id));
    if (result.issues().stream().anyMatch(i -> i.rule().equals("already-revoked"))) {
      throw ApiException.of(HttpStatus.CONFLICT, IssueType.CONFLICT, "consent.already-revoked", id);
    }
    if (!result.valid()) {
      throw ConsentErrors.notAccepted(result.issues());
    }
    return ConsentJson.view(result.record(), now());
  }

  private <T> T parse(String body, Class<T> type) {
    T value = null;
    if (body != null && !body.isBlank()) {
      try {
        value = json.readValue(body, type);
      } catch (JsonProcessingException e) {
        value = null;
      }
    }
    if (value == null) {
      throw ApiException.of(HttpStatus.BAD_REQUEST, IssueType.STRUCTURE, "consent.malformed");
    }
    return value;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
