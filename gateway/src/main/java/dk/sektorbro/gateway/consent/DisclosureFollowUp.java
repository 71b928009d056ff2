package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.journal.JournalEntry;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Follow-up on disclosures already made, from the journal's consent decisions before delivery
 * (stage {@code consent-recheck}, the basis a message actually left on): a revocation recorded
 * late, dated before a disclosure its consent allowed, is flagged on the message and listed; and
 * the disclosures made on a legal basis without consent are counted by basis, sender and period.
 */
@Component
public class DisclosureFollowUp {

  private static final Logger log = LoggerFactory.getLogger(DisclosureFollowUp.class);
  private static final ZoneId ZONE = ZoneId.of("Europe/Copenhagen");

  private final JdbcClient jdbc;
  private final Journal journal;
  private final ObjectMapper json;
  private final Clock clock;

  public DisclosureFollowUp(JdbcClient jdbc, Journal journal, ObjectMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.journal = journal;
    this.json = json;
    this.clock = clock;
  }

  /** One disclosure made on a consent that, as recorded later, was already revoked then. */
  public record LateRevocation(
      String journalId,
      String consentId,
      OffsetDateTime revokedAt,
      OffsetDateTime disclosedAt,
      OffsetDateTime recordedAt) {}

  /**
   * One line of the legal-basis report: how many disclosures on this basis, from this sender, in
   * this month.
   */
  public record BasisCount(
      String period, String legalBasis, String source, String senderKind, long disclosures) {}

  /**
   * What the leader or the DPO asks the report for: a period of Danish calendar days [from, to),
   * and optionally one legal basis and one sender (a source name or a sender kind).
   */
  public record ReportQuery(LocalDate from, LocalDate to, String legalBasis, String sender) {

    /**
     * From request parameters; blank means "not given": the last 12 months, every basis and sender.
     */
    public static ReportQuery of(
        String from, String to, String legalBasis, String sender, Clock clock) {
      LocalDate until =
          blank(to) ? LocalDate.now(clock.withZone(ZONE)).plusDays(1) : LocalDate.parse(to.strip());
      LocalDate since = blank(from) ? until.minusYears(1) : LocalDate.parse(from.strip());
      return new ReportQuery(
          since,
          until,
          blank(legalBasis) ? null : legalBasis.strip(),
          blank(sender) ? null : sender.strip());
    }

    private static boolean blank(String s) {
      return s == null || s.isBlank();
    }

    boolean matches(BasisCount c) {
      return (legalBasis == null || legalBasis.equals(c.legalBasis()))
          && (sender == null || sender.equals(c.source()) || sender.equals(c.senderKind()));
    }
  }

  /** The report for one query (period, and optionally basis and sender). */
  public List<BasisCount> legalBasisReport(ReportQuery q) {
    return legalBasisReport(
            q.from().atStartOfDay(ZONE).toOffsetDateTime(),
            q.to().atStartOfDay(ZONE).toOffsetDateTime())
        .stream()
        .filter(q::matches)
        .toList();
  }

  /**
   * A consent was revoked as of {@code revokedAt}: every message delivered on it after that moment
   * is flagged (a history note on the message, and a row in the list), once.
   */
  public List<LateRevocation> revoked(String consentId, OffsetDateTime revokedAt) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    List<LateRevocation> found =
        jdbc.sql(
                """
            SELECT e.entry_id, MIN(e.occurred_at) AS disclosed_at FROM journal_event e
            WHERE e.stage = 'consent-recheck' AND e.occurred_at > :revokedAt AND e.detail LIKE :consent
              AND EXISTS (SELECT 1 FROM journal_event s WHERE s.entry_id = e.entry_id AND s.state = 'SENT'
                          AND s.occurred_at >= e.occurred_at)
              AND NOT EXISTS (SELECT 1 FROM late_revocation l WHERE l.journal_id = e.entry_id AND l.consent_id = :id)
            GROUP BY e.entry_id""")
            .param("revokedAt", revokedAt)
            .param("consent", "%\"consentId\":\"" + consentId + "\"%")
            .param("id", consentId)
            .query(
                (rs, n) ->
                    new LateRevocation(
                        rs.getString("entry_id"),
                        consentId,
                        revokedAt,
                        rs.getObject("disclosed_at", OffsetDateTime.class),
                        now))
            .list();
    for (LateRevocation late : found) {
      jdbc.sql(
              "INSERT INTO late_revocation (journal_id, consent_id, revoked_at, disclosed_at, recorded_at)"
                  + " VALUES (:journal, :consent, :revoked, :disclosed, :recorded)")
          .param("journal", late.journalId())
          .param("consent", consentId)
          .param("revoked", revokedAt)
          .param("disclosed", late.disclosedAt())
          .param("recorded", now)
          .update();
      journal
          .find(late.journalId())
          .map(JournalEntry::state)
          .ifPresent(
              state ->
                  journal.note(
                      late.journalId(),
                      state,
                      ConsentGate.NAME,
                      "possible breach: consent "
                          + consentId
                          + " was revoked as of "
                          + revokedAt
                          + ", before this message was disclosed on it at "
                          + late.disclosedAt()
                          + " (the revocation was recorded later); tell the data protection officer",
                      null));
      log.warn("late revocation consent={} id={}", consentId, late.journalId());
    }
    return found;
  }

  /** Every flagged disclosure, newest first. */
  public List<LateRevocation> lateRevocations(int limit) {
    return jdbc
        .sql(
            "SELECT journal_id, consent_id, revoked_at, disclosed_at, recorded_at FROM late_revocation"
                + " ORDER BY recorded_at DESC, id DESC")
        .query(
            (rs, n) ->
                new LateRevocation(
                    rs.getString("journal_id"),
                    rs.getString("consent_id"),
                    rs.getObject("revoked_at", OffsetDateTime.class),
                    rs.getObject("disclosed_at", OffsetDateTime.class),
                    rs.getObject("recorded_at", OffsetDateTime.class)))
        .list()
        .stream()
        .limit(limit)
        .toList();
  }

  public long lateRevocationCount() {
    return jdbc.sql("SELECT COUNT(*) FROM late_revocation").query(Long.class).single();
  }

  /**
   * Disclosures made on a legal basis without consent in [{@code from}, {@code to}): the decision
   * before the postbox write of each delivered message, by month (Danish time), basis, source and
   * sender kind.
   */
  public List<BasisCount> legalBasisReport(OffsetDateTime from, OffsetDateTime to) {
    List<Row> rows =
        jdbc.sql(
                """
            SELECT e.occurred_at, e.detail, j.source FROM journal_event e JOIN journal_entry j ON j.id = e.entry_id
            WHERE e.stage = 'consent-recheck' AND e.occurred_at >= :from AND e.occurred_at < :to
              AND EXISTS (SELECT 1 FROM journal_event s WHERE s.entry_id = e.entry_id AND s.state = 'SENT'
                          AND s.occurred_at >= e.occurred_at)""")
            .param("from", from)
            .param("to", to)
            .query(
                (rs, n) ->
                    new Row(
                        rs.getObject("occurred_at", OffsetDateTime.class),
                        rs.getString("detail"),
                        rs.getString("source")))
            .list();
    Map<List<String>, Long> counts =
        new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
    for (Row row : rows) {
      JsonNode detail = parse(row.detail());
      String rule = detail.path("rule").asText(null);
      if (!"PERMIT".equals(detail.path("decision").asText())
          || rule == null
          || CodedValue.byCode(LegalBasis.class, rule).isEmpty()) {
        continue;
      }
      String period =
          row.at().atZoneSameInstant(ZONE).format(DateTimeFormatter.ofPattern("yyyy-MM"));
      String senderKind = detail.path("sender").path("kind").asText(null);
      counts.merge(
          Arrays.asList(period, rule, row.source(), senderKind == null ? "" : senderKind),
          1L,
          Long::sum);
    }
    List<BasisCount> report = new ArrayList<>();
    counts.forEach(
        (k, n) ->
            report.add(
                new BasisCount(
                    k.get(0), k.get(1), k.get(2), k.get(3).isEmpty() ? null : k.get(3), n)));
    return report;
  }

  /** The report as CSV (semicolon-separated, as Danish spreadsheets expect), with a header line. */
  public static String csv(List<BasisCount> report) {
    StringBuilder out = new StringBuilder("period;legalBasis;source;senderKind;disclosures\n");
    for (BasisCount c : report) {
      out.append(c.period())
          .append(';')
          .append(c.legalBasis())
          .append(';')
          .append(c.source())
          .append(';')
          .append(c.senderKind() == null ? "" : c.senderKind())
          .append(';')
          .append(c.disclosures())
          .append('\n');
    }
    return out.toString();
  }

  private JsonNode parse(String detail) {
    try {
      return detail == null ? json.createObjectNode() : json.readTree(detail);
    } catch (IOException e) {
      return json.createObjectNode();
    }
  }

  private record Row(OffsetDateTime at, String detail, String source) {}
}
