package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.consent.DisclosureFollowUp;
import dk.sektorbro.gateway.consent.DisclosureFollowUp.BasisCount;
import dk.sektorbro.gateway.consent.DisclosureFollowUp.ReportQuery;
import dk.sektorbro.gateway.consent.LegalBasis;
import dk.sektorbro.gateway.consent.SenderKind;
import dk.sektorbro.gateway.mapping.MappingDefinition;
import dk.sektorbro.gateway.mapping.MappingRegistry;
import dk.sektorbro.gateway.platform.web.FilterDates;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's page of disclosures made on a legal basis without consent (the same report as
 * {@code GET /api/v1/consents/$legal-basis-report}), for the leader and the DPO: filtered by
 * period, basis and sender, with the same rows as CSV. Counts and codes only, no personal data.
 */
@Controller
public class LegalBasisReportConsole {

  private final DisclosureFollowUp followUp;
  private final MappingRegistry mappings;
  private final Clock clock;
  private final MessageSource messages;

  public LegalBasisReportConsole(
      DisclosureFollowUp followUp, MappingRegistry mappings, Clock clock, MessageSource messages) {
    this.followUp = followUp;
    this.messages = messages;
    this.mappings = mappings;
    this.clock = clock;
  }

  @GetMapping("/admin/legal-basis-report")
  public String page(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String legalBasis,
      @RequestParam(required = false) String sender,
      Model model) {
    model.addAttribute("bases", Arrays.stream(LegalBasis.values()).map(LegalBasis::code).toList());
    model.addAttribute(
        "senders",
        Stream.concat(
                mappings.all().stream().map(MappingDefinition::source).sorted(),
                Arrays.stream(SenderKind.values()).map(SenderKind::code))
            .toList());
    model.addAttribute("legalBasis", legalBasis);
    model.addAttribute("sender", sender);
    ReportQuery query;
    try {
      query =
          ReportQuery.of(
              FilterDates.dayOrBlank(from), FilterDates.dayOrBlank(to), legalBasis, sender, clock);
    } catch (DateTimeParseException e) {
      model.addAttribute("from", from);
      model.addAttribute("to", to);
      model.addAttribute("error", text("console.legal-basis-report.dates"));
      model.addAttribute("items", List.of());
      return "admin/legal-basis-report";
    }
    List<BasisCount> items = followUp.legalBasisReport(query);
    model.addAttribute("from", query.from().toString());
    model.addAttribute("to", query.to().toString());
    model.addAttribute("items", items);
    model.addAttribute("total", items.stream().mapToLong(BasisCount::disclosures).sum());
    model.addAttribute(
        "csvLink",
        UriComponentsBuilder.fromPath("/admin/legal-basis-report.csv")
            .queryParam("from", query.from())
            .queryParam("to", query.to())
            .queryParamIfPresent("legalBasis", Optional.ofNullable(query.legalBasis()))
            .queryParamIfPresent("sender", Optional.ofNullable(query.sender()))
            .encode()
            .build()
            .toUriString());
    return "admin/legal-basis-report";
  }

  /**
   * The same rows as CSV, for a spreadsheet; served by the console so the browser session is
   * enough.
   */
  @GetMapping("/admin/legal-basis-report.csv")
  public ResponseEntity<String> csv(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String legalBasis,
      @RequestParam(required = false) String sender) {
    ReportQuery query;
    try {
      query =
          ReportQuery.of(
              FilterDates.dayOrBlank(from), FilterDates.dayOrBlank(to), legalBasis, sender, clock);
    } catch (DateTimeParseException e) {
      return ResponseEntity.badRequest()
          .contentType(MediaType.TEXT_PLAIN)
          .body(text("consent.report.dates") + "\n");
    }
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
        .header(
            "Content-Disposition",
            "attachment; filename=\"legal-basis-disclosures-"
                + query.from()
                + "-"
                + query.to()
                + ".csv\"")
        .body(DisclosureFollowUp.csv(followUp.legalBasisReport(query)));
  }

  /** A text of the console: {@code key} in the message bundle. */
  private String text(String key) {
    return messages.getMessage(key, null, Locale.ROOT);
  }
}
