package dk.sektorbro.gateway.consent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.careplan.DocumentRepository;
import dk.sektorbro.gateway.careplan.DocumentRepository.StoredDocument;
import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Revocation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL over the consent tables; transactions belong to {@link ConsentRegistry}. */
@Repository
class ConsentRepository {

  private static final String COLUMNS =
      "id, citizen_cpr, consent_type, given_by_type, given_by_name, proxy_authority,"
          + " purpose, given_at, valid_until, collected_by, witness, consent_form, recorded_at, revoked_at, revoked_by,"
          + " revocation_note";

  // A consent with its recipients (in order) and categories, in one row.
  private static final String WHOLE =
      "SELECT "
          + COLUMNS
          + ", (SELECT json_agg(json_build_object('kind', r.kind, 'sor', r.sor, 'name', r.name,"
          + " 'relation', r.relation, 'municipality', r.municipality) ORDER BY r.ordinal)"
          + " FROM consent_recipient r WHERE r.consent_id = consent.id) AS recipients,"
          + " ARRAY(SELECT g.code FROM consent_category g WHERE g.consent_id = consent.id) AS categories"
          + " FROM consent";
  // The columns of the plan version read with the consents (forCitizenWithCarriedPlan).
  private static final String PLAN = "carried_";
  // Built once: the gate and the recheck before delivery run it for every message.
  private static final String WHOLE_WITH_CARRIED_PLAN =
      "SELECT c.*, p.* FROM (SELECT 1) one LEFT JOIN ("
          + WHOLE
          + " WHERE citizen_cpr = :cpr) c ON TRUE LEFT JOIN ("
          + DocumentRepository.carriedBy("journal", PLAN)
          + ") p ON TRUE ORDER BY c.given_at, c.id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcClient jdbc;

  ConsentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(ConsentRecord c) {
    jdbc.sql(
            "INSERT INTO consent ("
                + COLUMNS
                + ") VALUES (:id, :cpr, :type, :givenByType, :givenByName,"
                + " :authority, :purpose, :givenAt, :validUntil, :collectedBy, :witness, :form, :recordedAt, NULL, NULL, NULL)")
        .param("id", c.id())
        .param("cpr", c.citizenCpr())
        .param("type", c.type().name())
        .param("givenByType", c.givenBy().type().name())
        .param("givenByName", c.givenBy().name())
        .param("authority", c.givenBy().authority())
        .param("purpose", c.purpose() == null ? null : c.purpose().code())
        .param("givenAt", c.givenAt())
        .param("validUntil", c.validUntil())
        .param("collectedBy", c.collectedBy())
        .param("witness", c.witness())
        .param("form", c.form().name())
        .param("recordedAt", c.recordedAt())
        .update();
    for (int i = 0; i < c.recipients().size(); i++) {
      ConsentRecipient r = c.recipients().get(i);
      jdbc.sql(
              "INSERT INTO consent_recipient (consent_id, ordinal, kind, sor, name, relation, municipality)"
                  + " VALUES (:id, :ordinal, :kind, :sor, :name, :relation, :municipality)")
          .param("id", c.id())
          .param("ordinal", i)
          .param("kind", r.kind().code())
          .param("sor", r.sor())
          .param("name", r.name())
          .param("relation", r.relation())
          .param("municipality", r.municipality())
          .update();
    }
    for (InformationCategory category : c.categories()) {
      jdbc.sql("INSERT INTO consent_category (consent_id, code) VALUES (:id, :code)")
          .param("id", c.id())
          .param("code", category.code())
          .update();
    }
  }

  /** Records the revocation only if none is recorded yet; false when it was already revoked. */
  boolean revoke(String id, Revocation r) {
    return jdbc.sql(
                "UPDATE consent SET revoked_at = :at, revoked_by = :by, revocation_note = :note"
                    + " WHERE id = :id AND revoked_at IS NULL")
            .param("at", r.revokedAt())
            .param("by", r.revokedBy())
            .param("note", r.note())
            .param("id", id)
            .update()
        == 1;
  }

  Optional<ConsentRecord> find(String id) {
    return jdbc.sql(WHOLE + " WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> whole(rs))
        .optional();
  }

  List<ConsentRecord> forCitizen(String cpr) {
    // One statement per lookup (the gate and the delivery guard each make one per message): the
    // recipients and categories come with their consent, not in two queries per consent.
    return jdbc.sql(WHOLE + " WHERE citizen_cpr = :cpr ORDER BY given_at, id")
        .param("cpr", cpr)
        .query((rs, n) -> whole(rs))
        .list();
  }

  /** A citizen's consents and the plan version a journal entry carries, read together. */
  record ConsentsAndPlan(List<ConsentRecord> consents, Optional<StoredDocument> carriedPlan) {}

  /**
   * {@link #forCitizen} and the plan version the entry carries ({@link
   * DocumentRepository#findByJournalId}) in one statement: the consent gate and the recheck before
   * delivery need both, and a consistent read of the two (issue 14: one round trip fewer each).
   */
  ConsentsAndPlan forCitizenWithCarriedPlan(String cpr, String journalId) {
    List<ConsentRecord> consents = new ArrayList<>();
    Map<String, StoredDocument> plans = new LinkedHashMap<>();
    // One row at least (no consent: the consent columns are null), the plan's columns on each.
    jdbc.sql(WHOLE_WITH_CARRIED_PLAN)
        .param("cpr", cpr)
        .param("journal", journalId)
        .query(
            (ResultSet rs) -> {
              Optional<StoredDocument> plan = DocumentRepository.carried(rs, PLAN);
              plan.ifPresent(d -> plans.putIfAbsent(d.id(), d));
              if (rs.getString("id") != null) {
                consents.add(whole(rs));
              }
            });
    // As findByJournalId: more than one version carried by one entry is an error.
    return new ConsentsAndPlan(consents, DataAccessUtils.optionalResult(plans.values()));
  }

  private static ConsentRecord whole(ResultSet rs) throws SQLException {
    ConsentRecord c = row(rs);
    List<ConsentRecipient> recipients = new ArrayList<>();
    String recipientsJson = rs.getString("recipients");
    if (recipientsJson != null) {
      try {
        for (JsonNode r : JSON.readTree(recipientsJson)) {
          recipients.add(
              new ConsentRecipient(
                  CodedValue.byCode(RecipientKind.class, r.get("kind").asText()).orElseThrow(),
                  text(r, "sor"),
                  text(r, "name"),
                  text(r, "relation"),
                  text(r, "municipality")));
        }
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("unreadable recipients of consent " + c.id(), e);
      }
    }
    Set<InformationCategory> categories = new HashSet<>();
    for (String code : (String[]) rs.getArray("categories").getArray()) {
      categories.add(CodedValue.byCode(InformationCategory.class, code).orElseThrow());
    }
    return new ConsentRecord(
        c.id(),
        c.citizenCpr(),
        c.type(),
        c.givenBy(),
        recipients,
        categories,
        c.purpose(),
        c.givenAt(),
        c.validUntil(),
        c.collectedBy(),
        c.witness(),
        c.form(),
        c.recordedAt(),
        c.revocation());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static ConsentRecord row(ResultSet rs) throws SQLException {
    OffsetDateTime revokedAt = rs.getObject("revoked_at", OffsetDateTime.class);
    String purpose = rs.getString("purpose");
    return new ConsentRecord(
        rs.getString("id"),
        rs.getString("citizen_cpr"),
        ConsentRecord.Type.valueOf(rs.getString("consent_type")),
        new Grantor(
            GrantorType.valueOf(rs.getString("given_by_type")),
            rs.getString("given_by_name"),
            rs.getString("proxy_authority")),
        List.of(),
        Set.of(),
        purpose == null ? null : CodedValue.byCode(Purpose.class, purpose).orElseThrow(),
        rs.getObject("given_at", OffsetDateTime.class),
        rs.getObject("valid_until", OffsetDateTime.class),
        rs.getString("collected_by"),
        rs.getString("witness"),
        ConsentForm.valueOf(rs.getString("consent_form")),
        rs.getObject("recorded_at", OffsetDateTime.class),
        revokedAt == null
            ? null
            : new Revocation(
                revokedAt, rs.getString("revoked_by"), rs.getString("revocation_note")));
  }
}
