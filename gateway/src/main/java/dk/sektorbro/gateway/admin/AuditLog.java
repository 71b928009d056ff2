package dk.sektorbro.gateway.admin;

import dk.sektorbro.gateway.record.Cpr;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The admin audit log (table admin_audit, V5). Written in the same transaction as the journal
 * change it explains, so an action is never done without its record, nor recorded without being
 * done.
 */
@Repository
public class AuditLog {

  /** The most characters of a reason the log keeps (admin_audit.reason, V5__admin_audit.sql). */
  static final int REASON_LIMIT = 4000;

  /**
   * A user's comment, reason or justification, required, short enough for the log and without the
   * U+0000 PostgreSQL cannot store: checked before the action is done, so a refusal leaves nothing
   * half done.
   */
  static String reason(String value, String name) {
    if (value == null || value.isBlank()) {
      throw ActionRefused.invalid("NotBlank", name);
    }
    String reason = value.strip();
    if (reason.indexOf('\u0000') >= 0) {
      throw ActionRefused.invalid("request.nul-character");
    }
    int length = reason.codePointCount(0, reason.length());
    if (length > REASON_LIMIT) {
      throw ActionRefused.invalid(
          "admin.reason.too-long", name, String.valueOf(length), String.valueOf(REASON_LIMIT));
    }
    return reason;
  }

  private final JdbcClient jdbc;
  private final Clock clock;

  public AuditLog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public void record(
      String actor,
      AuditAction action,
      String entryId,
      String target,
      String reason,
      String detail) {
    record(actor, action, entryId, target, reason, detail, null);
  }

  public void record(
      String actor,
      AuditAction action,
      String entryId,
      String target,
      String reason,
      String detail,
      String previousCanonical) {
    record(actor, action, entryId, target, reason, detail, previousCanonical, null);
  }

  /**
   * As above, for an action about one citizen named by CPR number ({@code citizenCpr}, digits
   * only): kept in its own column, shown masked, searchable by an auditor ({@link #ofCitizen}).
   */
  public void record(
      String actor,
      AuditAction action,
      String entryId,
      String target,
      String reason,
      String detail,
      String previousCanonical,
      String citizenCpr) {
    jdbc.sql(
            """
            INSERT INTO admin_audit (occurred_at, actor, action, entry_id, target, reason, detail,
              previous_canonical, citizen_cpr)
            VALUES (:at, :actor, :action, :entry, :target, :reason, :detail, :previous, :citizen)""")
        .param("at", OffsetDateTime.now(clock))
        .param("actor", actor)
        .param("action", action.name())
        .param("entry", entryId)
        .param("target", target)
        .param("reason", reason)
        .param("detail", detail)
        .param("previous", previousCanonical)
        .param("citizen", citizenCpr)
        .update();
  }

  /** Newest first; {@code entryId} null for all entries. */
  public List<AuditEntry> list(String entryId, int page, int size) {
    return list(entryId, null, page, size);
  }

  /** Newest first, optionally of one entry and/or one action. */
  public List<AuditEntry> list(String entryId, AuditAction action, int page, int size) {
    Map<String, Object> params = new HashMap<>();
    return page(where(entryId, action, params), params, page, size);
  }

  /** Newest first, the records naming this citizen (CPR number, digits only). */
  public List<AuditEntry> ofCitizen(String citizenCpr, int page, int size) {
    Map<String, Object> params = new HashMap<>();
    params.put("citizen", citizenCpr);
    return page(" WHERE citizen_cpr = :citizen", params, page, size);
  }

  /** How many records {@link #ofCitizen} pages through. */
  public long countOfCitizen(String citizenCpr) {
    return jdbc.sql("SELECT COUNT(*) FROM admin_audit WHERE citizen_cpr = :citizen")
        .param("citizen", citizenCpr)
        .query(Long.class)
        .single();
  }

  // The citizen is shown masked, as in every list: the auditor who searched by CPR number knows it.
  private List<AuditEntry> page(String where, Map<String, Object> params, int page, int size) {
    return jdbc.sql(
            "SELECT id, occurred_at, actor, action, entry_id, target, reason, detail, citizen_cpr"
                + " FROM admin_audit"
                + where
                + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
        .params(params)
        .param("limit", size)
        .param("offset", (long) page * size)
        .query(
            (rs, n) ->
                new AuditEntry(
                    rs.getLong("id"),
                    rs.getObject("occurred_at", OffsetDateTime.class),
                    rs.getString("actor"),
                    rs.getString("action"),
                    rs.getString("entry_id"),
                    rs.getString("target"),
                    rs.getString("reason"),
                    rs.getString("detail"),
                    rs.getString("citizen_cpr") == null
                        ? null
                        : Cpr.mask(rs.getString("citizen_cpr"))))
        .list();
  }

  public long count() {
    return count(null, null);
  }

  /** How many records {@link #list} pages through with the same filters. */
  public long count(String entryId, AuditAction action) {
    Map<String, Object> params = new HashMap<>();
    return jdbc.sql("SELECT COUNT(*) FROM admin_audit" + where(entryId, action, params))
        .params(params)
        .query(Long.class)
        .single();
  }

  private static String where(String entryId, AuditAction action, Map<String, Object> params) {
    List<String> clauses = new ArrayList<>();
    if (entryId != null) {
      clauses.add("entry_id = :entry");
      params.put("entry", entryId);
    }
    if (action != null) {
      clauses.add("action = :action");
      params.put("action", action.name());
    }
    return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
  }
}
