package dk.sektorbro.gateway.addressing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for registry snapshots. Writes in batches so a national export stores in seconds. */
@Repository
public class RegistryRepository {

  private static final int BATCH = 1000;
  private static final String LIST_SEPARATOR = " ";

  /** Arbitrary, fixed: the advisory lock key of "imports a registry snapshot". */
  static final long IMPORT_LOCK = 0x5EC7_0B41L;

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate batch;

  public RegistryRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  void insertSnapshot(SnapshotInfo s) {
    jdbc.sql(
            """
            INSERT INTO registry_snapshot (id, source, snapshot_date, imported_at, content_hash, unit_count,
              location_count, rejected_count, active)
            VALUES (:id, :source, :date, :at, :hash, :units, :locations, :rejected, FALSE)""")
        .param("id", s.id())
        .param("source", s.source())
        .param("date", s.snapshotDate())
        .param("at", s.importedAt())
        .param("hash", s.contentHash())
        .param("units", s.units())
        .param("locations", s.locations())
        .param("rejected", s.rejected())
        .update();
  }

  void insertUnits(
      String snapshotId,
      List<RegistryUnit> units,
      Map<String, String> successorChains,
      IntConsumer stored) {
    String sql =
        """
        INSERT INTO registry_unit (snapshot_id, sor_id, level, parent_sor_id, name, owner_type, institution_type,
          shak_id, provider_id, provider_key, valid_from, valid_to, replaced_by, ean_inherited, own_gln,
          effective_gln, effective_gln_from, successor_chain)
        VALUES (:snapshot, :sor, :level, :parent, :name, :ownerType, :institutionType, :shak, :provider,
          :providerKey, :validFrom, :validTo, :replacedBy, :inherited, :ownGln, :effectiveGln, :effectiveFrom,
          :successors)""";
    inBatches(
        units,
        u ->
            new MapSqlParameterSource()
                .addValue("snapshot", snapshotId)
                .addValue("sor", u.sorId())
                .addValue("level", u.level().name())
                .addValue("parent", u.parentSorId())
                .addValue("name", truncate(u.name(), 500))
                .addValue("ownerType", truncate(u.ownerType(), 100))
                .addValue("institutionType", truncate(u.institutionType(), 100))
                .addValue("shak", truncate(u.shakId(), 20))
                .addValue("provider", truncate(u.providerId(), 20))
                .addValue("providerKey", truncate(Identifiers.providerKey(u.providerId()), 20))
                .addValue("validFrom", u.validFrom())
                .addValue("validTo", u.validTo())
                .addValue("replacedBy", join(u.replacedBy()))
                .addValue("inherited", u.eanInherited())
                .addValue("ownGln", u.ownGln())
                .addValue("effectiveGln", u.effectiveGln())
                .addValue("effectiveFrom", u.effectiveGlnFrom())
                .addValue("successors", successorChains.get(u.sorId())),
        sql,
        stored);
  }

  void insertLocations(String snapshotId, List<RegistryLocation> locations, IntConsumer stored) {
    String sql =
        """
        INSERT INTO registry_location (snapshot_id, gln, owner_sor_id, only_internal, non_active, valid_from, valid_to,
          receives, payload_types, communication_supplier, endpoint_id)
        VALUES (:snapshot, :gln, :owner, :internal, :nonActive, :validFrom, :validTo, :receives, :payloads, :supplier,
          :endpoint)""";
    inBatches(
        locations,
        l ->
            new MapSqlParameterSource()
                .addValue("snapshot", snapshotId)
                .addValue("gln", l.gln())
                .addValue("owner", l.ownerSorId())
                .addValue("internal", l.onlyInternal())
                .addValue("nonActive", l.nonActive())
                .addValue("validFrom", l.validFrom())
                .addValue("validTo", l.validTo())
                .addValue("receives", join(l.receives()))
                .addValue("payloads", join(l.payloadTypes()))
                .addValue("supplier", truncate(l.communicationSupplier(), 100))
                .addValue("endpoint", l.endpointId() == null ? "" : l.endpointId()),
        sql,
        stored);
  }

  void insertRejections(String snapshotId, List<Rejection> rejections) {
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < rejections.size(); i++) {
      positions.add(i);
    }
    inBatches(
        positions,
        i ->
            new MapSqlParameterSource()
                .addValue("snapshot", snapshotId)
                .addValue("seq", i)
                .addValue("item", truncate(rejections.get(i).item(), 300))
                .addValue("reason", truncate(rejections.get(i).reason(), 1000)),
        "INSERT INTO registry_rejection (snapshot_id, seq, item, reason) VALUES (:snapshot, :seq, :item, :reason)",
        n -> {});
  }

  /**
   * Imports one at a time in the whole cluster, until the calling transaction ends: two imports at
   * once (two nodes starting on an empty database, two admins) each left their snapshot active,
   * since neither saw the other's uncommitted row (TwoNodesRegistryTest). V47 makes a second active
   * snapshot impossible; this lock makes the later import wait instead of fail.
   */
  void lockImports() {
    jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", IMPORT_LOCK).query().singleRow();
  }

  /** The active snapshot's id: a node's check that it still addresses by the cluster's one. */
  Optional<String> activeSnapshotId() {
    return jdbc.sql("SELECT id FROM registry_snapshot WHERE active = TRUE")
        .query(String.class)
        .optional();
  }

  /** Makes {@code id} the only active snapshot. */
  void activate(String id) {
    jdbc.sql("UPDATE registry_snapshot SET active = FALSE WHERE active = TRUE AND id <> :id")
        .param("id", id)
        .update();
    jdbc.sql("UPDATE registry_snapshot SET active = TRUE WHERE id = :id").param("id", id).update();
  }

  /** Deletes the oldest inactive snapshots beyond {@code keep} in total. */
  int prune(int keep) {
    List<String> old =
        jdbc.sql("SELECT id FROM registry_snapshot WHERE active = FALSE ORDER BY imported_at DESC")
            .query(String.class)
            .list();
    List<String> doomed =
        old.size() <= keep - 1 ? List.of() : old.subList(Math.max(0, keep - 1), old.size());
    for (String id : doomed) {
      // Children first: not every PostgreSQL-mode setup honours the cascade the same way.
      for (String table :
          List.of(
              "registry_rejection", "registry_location", "registry_unit", "registry_snapshot")) {
        jdbc.sql(
                "DELETE FROM "
                    + table
                    + " WHERE "
                    + (table.equals("registry_snapshot") ? "id" : "snapshot_id")
                    + " = :id")
            .param("id", id)
            .update();
      }
    }
    return doomed.size();
  }

  List<SnapshotInfo> snapshots() {
    return jdbc.sql("SELECT * FROM registry_snapshot ORDER BY imported_at DESC")
        .query(RegistryRepository::info)
        .list();
  }

  Optional<SnapshotInfo> snapshot(String id) {
    return jdbc.sql("SELECT * FROM registry_snapshot WHERE id = :id")
        .param("id", id)
        .query(RegistryRepository::info)
        .optional();
  }

  Optional<SnapshotInfo> activeSnapshot() {
    return jdbc.sql("SELECT * FROM registry_snapshot WHERE active = TRUE")
        .query(RegistryRepository::info)
        .optional();
  }

  List<Rejection> rejections(String snapshotId, int limit) {
    return jdbc.sql(
            "SELECT item, reason FROM registry_rejection WHERE snapshot_id = :id ORDER BY seq LIMIT :limit")
        .param("id", snapshotId)
        .param("limit", limit)
        .query((rs, n) -> new Rejection(rs.getString("item"), rs.getString("reason")))
        .list();
  }

  List<RegistryUnit> units(String snapshotId) {
    return jdbc.sql("SELECT * FROM registry_unit WHERE snapshot_id = :id")
        .param("id", snapshotId)
        .query(RegistryRepository::unit)
        .list();
  }

  List<RegistryLocation> locations(String snapshotId) {
    return jdbc.sql("SELECT * FROM registry_location WHERE snapshot_id = :id")
        .param("id", snapshotId)
        .query(RegistryRepository::location)
        .list();
  }

  private <T> void inBatches(
      List<T> items, Function<T, SqlParameterSource> params, String sql, IntConsumer stored) {
    for (int from = 0; from < items.size(); from += BATCH) {
      List<T> chunk = items.subList(from, Math.min(items.size(), from + BATCH));
      batch.batchUpdate(sql, chunk.stream().map(params).toArray(SqlParameterSource[]::new));
      stored.accept(chunk.size());
    }
  }

  private static SnapshotInfo info(ResultSet rs, int row) throws SQLException {
    return new SnapshotInfo(
        rs.getString("id"),
        rs.getString("source"),
        date(rs, "snapshot_date"),
        rs.getObject("imported_at", OffsetDateTime.class),
        rs.getString("content_hash"),
        rs.getInt("unit_count"),
        rs.getInt("location_count"),
        rs.getInt("rejected_count"),
        rs.getBoolean("active"));
  }

  private static RegistryUnit unit(ResultSet rs, int row) throws SQLException {
    return new RegistryUnit(
        rs.getString("sor_id"),
        RegistryUnit.Level.valueOf(rs.getString("level")),
        rs.getString("parent_sor_id"),
        rs.getString("name"),
        rs.getString("owner_type"),
        rs.getString("institution_type"),
        rs.getString("shak_id"),
        rs.getString("provider_id"),
        date(rs, "valid_from"),
        date(rs, "valid_to"),
        List.copyOf(split(rs.getString("replaced_by"))),
        rs.getBoolean("ean_inherited"),
        rs.getString("own_gln"),
        rs.getString("effective_gln"),
        rs.getString("effective_gln_from"));
  }

  private static RegistryLocation location(ResultSet rs, int row) throws SQLException {
    return new RegistryLocation(
        rs.getString("gln"),
        rs.getString("owner_sor_id"),
        rs.getBoolean("only_internal"),
        rs.getBoolean("non_active"),
        date(rs, "valid_from"),
        date(rs, "valid_to"),
        split(rs.getString("receives")),
        split(rs.getString("payload_types")),
        rs.getString("communication_supplier"),
        rs.getString("endpoint_id").isEmpty() ? null : rs.getString("endpoint_id"));
  }

  private static LocalDate date(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, LocalDate.class);
  }

  private static String join(Collection<String> values) {
    return values.isEmpty() ? null : String.join(LIST_SEPARATOR, values);
  }

  private static Set<String> split(String value) {
    return value == null || value.isBlank()
        ? Set.of()
        : new LinkedHashSet<>(Arrays.asList(value.strip().split(LIST_SEPARATOR)));
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
