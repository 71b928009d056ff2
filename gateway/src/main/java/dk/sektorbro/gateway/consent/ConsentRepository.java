package dk.sektorbro.gateway.consent;

import dk.sektorbro.gateway.consent.ConsentRecord.Grantor;
import dk.sektorbro.gateway.consent.ConsentRecord.GrantorType;
import dk.sektorbro.gateway.consent.ConsentRecord.Revocation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL over the consent tables; transactions belong to {@link ConsentRegistry}. */
@Repository
class ConsentRepository {

  private static final String COLUMNS =
      "id, citizen_cpr, consent_type, given_by_type, given_by_name, proxy_authority,"
          + " purpose, given_at, valid_until, collected_by, witness, consent_form, recorded_at, revoked_at, revoked_by,"
          + " revocation_note";

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

  boolean exists(String id) {
    return jdbc.sql("SELECT COUNT(*) FROM consent WHERE id = :id")
            .param("id", id)
            .query(Long.class)
            .single()
        > 0;
  }

  Optional<ConsentRecord> find(String id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM consent WHERE id = :id")
        .param("id", id)
        .query((rs, n) -> row(rs))
        .optional()
        .map(this::complete);
  }

  List<ConsentRecord> forCitizen(String cpr) {
    return jdbc
        .sql("SELECT " + COLUMNS + " FROM consent WHERE citizen_cpr = :cpr ORDER BY given_at, id")
        .param("cpr", cpr)
        .query((rs, n) -> row(rs))
        .list()
        .stream()
        .map(this::complete)
        .toList();
  }

  private ConsentRecord complete(ConsentRecord c) {
    List<ConsentRecipient> recipients =
        jdbc.sql(
                "SELECT kind, sor, name, relation, municipality"
                    + " FROM consent_recipient WHERE consent_id = :id ORDER BY ordinal")
            .param("id", c.id())
            .query(
                (rs, n) ->
                    new ConsentRecipient(
                        CodedValue.byCode(RecipientKind.class, rs.getString("kind")).orElseThrow(),
                        rs.getString("sor"),
                        rs.getString("name"),
                        rs.getString("relation"),
                        rs.getString("municipality")))
            .list();
    Set<InformationCategory> categories =
        jdbc
            .sql("SELECT code FROM consent_category WHERE consent_id = :id")
            .param("id", c.id())
            .query(String.class)
            .list()
            .stream()
            .map(code -> CodedValue.byCode(InformationCategory.class, code).orElseThrow())
            .collect(Collectors.toSet());
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
