package dk.sektorbro.gateway.careplan;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The plan_document table (V6__documents.sql): plan versions with their FHIR document and PDF. */
@Repository
public class DocumentRepository {

  private static final String SUMMARY_COLUMNS =
      "id, journal_id, source, plan_number, plan_kind, plan_version, "
          + "plan_date, composition_identifier, replaces_id, created_at, end_date";

  /** Arbitrary, fixed: the first key of the advisory locks of "stores a version of a plan". */
  private static final int PLAN_LOCK = 0x504c414e;

  private final JdbcClient jdbc;

  public DocumentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** One stored version, without its payloads. */
  public record StoredDocument(
      String id,
      String journalId,
      String source,
      String planNumber,
      String planKind,
      int planVersion,
      LocalDate planDate,
      String compositionIdentifier,
      String replacesId,
      OffsetDateTime createdAt,
      LocalDate endDate) {}

  /**
   * Serialises the versions of one plan until the calling transaction ends: whoever stores a
   * version of it holds this lock from reading the stored versions to commit. The two-key form
   * keeps these locks apart from the project's one-key advisory locks; a hash collision between two
   * plans only makes them wait for each other.
   */
  public void lockPlan(String source, String planNumber) {
    jdbc.sql("SELECT pg_advisory_xact_lock(:kind, hashtext(:plan))")
        .param("kind", PLAN_LOCK)
        .param("plan", source + "\n" + planNumber)
        .query()
        .singleRow();
  }

  public void insert(StoredDocument d, String bundleJson, byte[] pdf) {
    jdbc.sql(
            "INSERT INTO plan_document ("
                + SUMMARY_COLUMNS
                + ", bundle_json, pdf) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            d.id(),
            d.journalId(),
            d.source(),
            d.planNumber(),
            d.planKind(),
            d.planVersion(),
            d.planDate(),
            d.compositionIdentifier(),
            d.replacesId(),
            d.createdAt(),
            d.endDate(),
            bundleJson,
            pdf)
        .update();
  }

  public Optional<StoredDocument> find(String id) {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM plan_document WHERE id = ?")
        .param(id)
        .query(DocumentRepository::summary)
        .optional();
  }

  /** The document a journal entry carries, if it is a plan version. */
  public Optional<StoredDocument> findByJournalId(String journalId) {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM plan_document WHERE journal_id = ?")
        .param(journalId)
        .query(DocumentRepository::summary)
        .optional();
  }

  // Empty once retention removed the content (V26): the version's row stays for the chain.
  public Optional<String> bundleJson(String id) {
    return jdbc.sql(
            "SELECT bundle_json FROM plan_document WHERE id = ? AND bundle_json IS NOT NULL")
        .param(id)
        .query(String.class)
        .optional();
  }

  /** A stored version with one of its payloads, read together. */
  public record WithContent<T>(StoredDocument document, T content) {}

  /** The version with its document Bundle in one read; empty once retention removed it. */
  public Optional<WithContent<String>> withBundle(String id) {
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + ", bundle_json FROM plan_document WHERE id = ? AND bundle_json IS NOT NULL")
        .param(id)
        .query((rs, n) -> new WithContent<>(summary(rs, n), rs.getString("bundle_json")))
        .optional();
  }

  /** The version with its PDF in one read; empty once retention removed it. */
  public Optional<WithContent<byte[]>> withPdf(String id) {
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + ", pdf FROM plan_document WHERE id = ? AND pdf IS NOT NULL")
        .param(id)
        .query((rs, n) -> new WithContent<>(summary(rs, n), rs.getBytes("pdf")))
        .optional();
  }

  /** Every stored version of one plan, oldest first. */
  public List<StoredDocument> versions(String source, String planNumber) {
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + " FROM plan_document WHERE source = ? AND plan_number = ? "
                + "ORDER BY plan_version")
        .params(source, planNumber)
        .query(DocumentRepository::summary)
        .list();
  }

  /**
   * The ids of the versions of one plan that never went out, in one statement: their journal entry
   * is in one of {@code stopped} and its history has no event in {@code handedOver}, nor an event
   * of stage {@code deliverStage} in one of {@code ended} (a delivery attempt under way when the
   * entry ended, which wrote it all the same).
   */
  public Set<String> neverWentOut(
      String source,
      String planNumber,
      Collection<String> stopped,
      Collection<String> handedOver,
      Collection<String> ended,
      String deliverStage) {
    return new HashSet<>(
        jdbc.sql(
                "SELECT d.id FROM plan_document d JOIN journal_entry e ON e.id = d.journal_id"
                    + " WHERE d.source = :source AND d.plan_number = :plan"
                    + " AND e.state IN (:stopped) AND NOT EXISTS (SELECT 1 FROM journal_event ev"
                    + " WHERE ev.entry_id = e.id AND (ev.state IN (:handedOver)"
                    + " OR (ev.stage = :deliver AND ev.state IN (:ended))))")
            .param("source", source)
            .param("plan", planNumber)
            .param("stopped", List.copyOf(stopped))
            .param("handedOver", List.copyOf(handedOver))
            .param("ended", List.copyOf(ended))
            .param("deliver", deliverStage)
            .query(String.class)
            .list());
  }

  /**
   * The newest version of the same plan, newer than {@code version}, that went out: its journal
   * entry was handed to a transport (SENT, RETRYING, ACKNOWLEDGED or REJECTED in its history).
   */
  public Optional<StoredDocument> newestSentAfter(StoredDocument version) {
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + " FROM plan_document d WHERE source = :source AND plan_number = :plan"
                + " AND plan_version > :version AND EXISTS (SELECT 1 FROM journal_event e"
                + " WHERE e.entry_id = d.journal_id"
                + " AND e.state IN ('SENT', 'RETRYING', 'ACKNOWLEDGED', 'REJECTED'))"
                + " ORDER BY plan_version DESC LIMIT 1")
        .param("source", version.source())
        .param("plan", version.planNumber())
        .param("version", version.planVersion())
        .query(DocumentRepository::summary)
        .optional();
  }

  /**
   * The newest version of the same plan, older than {@code version}, whose document the FHIR
   * endpoint of {@code gln} has or may have: delivered there, still queued for it (an attempt may
   * be under way), or posted at least once (a time-out may have arrived).
   */
  public Optional<StoredDocument> newestPostedBefore(StoredDocument version, String gln) {
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + " FROM plan_document d WHERE source = :source AND plan_number = :plan"
                + " AND plan_version < :version AND EXISTS (SELECT 1 FROM document_delivery q"
                + " WHERE q.document_id = d.id AND q.recipient_gln = :gln"
                + " AND (q.state IN ('DELIVERED', 'PENDING') OR q.attempts > 0))"
                + " ORDER BY plan_version DESC LIMIT 1")
        .param("source", version.source())
        .param("plan", version.planNumber())
        .param("version", version.planVersion())
        .param("gln", gln)
        .query(DocumentRepository::summary)
        .optional();
  }

  /**
   * Every stored version of plans with this number, from any source (a plan reference in a record).
   */
  public List<StoredDocument> byPlanNumber(String planNumber) {
    return jdbc.sql(
            "SELECT "
                + SUMMARY_COLUMNS
                + " FROM plan_document WHERE plan_number = ? ORDER BY plan_version")
        .param(planNumber)
        .query(DocumentRepository::summary)
        .list();
  }

  private static StoredDocument summary(ResultSet rs, int row) throws SQLException {
    return carried(rs, "").orElseThrow();
  }

  /**
   * The version carried by one journal entry, as a sub-select that another statement can join (the
   * consent lookup reads it with the consents: one statement instead of two). Its columns are named
   * with {@code prefix}; {@link #carried(ResultSet, String)} reads them.
   */
  public static String carriedBy(String journalIdParameter, String prefix) {
    StringBuilder select = new StringBuilder("SELECT ");
    String[] columns = SUMMARY_COLUMNS.split(",\\s*");
    for (int i = 0; i < columns.length; i++) {
      select.append(i == 0 ? "" : ", ").append(columns[i]).append(" AS ").append(prefix);
      select.append(columns[i]);
    }
    return select + " FROM plan_document WHERE journal_id = :" + journalIdParameter;
  }

  /** A stored version from columns named with {@code prefix}; empty when its id is null. */
  public static Optional<StoredDocument> carried(ResultSet rs, String prefix) throws SQLException {
    String id = rs.getString(prefix + "id");
    if (id == null) {
      return Optional.empty();
    }
    return Optional.of(
        new StoredDocument(
            id,
            rs.getString(prefix + "journal_id"),
            rs.getString(prefix + "source"),
            rs.getString(prefix + "plan_number"),
            rs.getString(prefix + "plan_kind"),
            rs.getInt(prefix + "plan_version"),
            rs.getObject(prefix + "plan_date", LocalDate.class),
            rs.getString(prefix + "composition_identifier"),
            rs.getString(prefix + "replaces_id"),
            rs.getObject(prefix + "created_at", OffsetDateTime.class),
            rs.getObject(prefix + "end_date", LocalDate.class)));
  }
}
