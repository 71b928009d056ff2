package dk.sektorbro.gateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.MigratedPostgres;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * V35 and V36 on PostgreSQL: the three copies of a MedCom message are not compressed with pglz (lz4
 * where the server has it, else stored out of line uncompressed) and read back byte for byte; the
 * journal's pages keep room for heap-only updates.
 */
class MessageStoragePostgresTest {

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;

  @BeforeAll
  static void start() {
    postgres = MigratedPostgres.start();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
  }

  @Test
  void theMessageColumns_useLz4OrNoCompression_andReadBackUnchanged() {
    boolean lz4 =
        jdbc.sql(
                "SELECT 'lz4' = ANY (enumvals) FROM pg_settings"
                    + " WHERE name = 'default_toast_compression'")
            .query(Boolean.class)
            .single();
    for (String column :
        List.of(
            "journal_entry.fhir_message", "thread_message.message", "outbound_message.payload")) {
      Map<String, Object> attribute =
          jdbc.sql(
                  "SELECT attstorage::text AS storage, attcompression::text AS compression"
                      + " FROM pg_attribute WHERE attrelid = CAST(:table AS regclass)"
                      + " AND attname = :column")
              .param("table", column.substring(0, column.indexOf('.')))
              .param("column", column.substring(column.indexOf('.') + 1))
              .query()
              .singleRow();
      if (lz4) {
        assertThat(attribute).as(column).containsEntry("compression", "l");
      } else {
        assertThat(attribute).as(column).containsEntry("storage", "e");
      }
    }

    String message = "<Bundle>" + "<entry><fullUrl value=\"urn:uuid:x\"/></entry>".repeat(400);
    jdbc.sql(
            "INSERT INTO journal_entry (id, source, idempotency_key, content_hash, channel,"
                + " payload_size, received_at, updated_at, state, fhir_message) VALUES ('e1', 's',"
                + " 'k', 'h', 'FILE', 0, now(), now(), 'TRANSLATED', :m)")
        .param("m", message)
        .update();
    jdbc.sql(
            "INSERT INTO outbound_message (entry_id, bundle_id, route_key, payload, content_type,"
                + " file_extension, prepared_at) VALUES ('e1', 'b', 'r', :p, 'application/fhir+xml',"
                + " 'xml', now())")
        .param("p", message.getBytes(StandardCharsets.UTF_8))
        .update();
    Map<String, Object> stored =
        jdbc.sql(
                "SELECT j.fhir_message, o.payload, pg_column_compression(j.fhir_message) AS how,"
                    + " pg_column_size(j.fhir_message) AS size"
                    + " FROM journal_entry j JOIN outbound_message o ON o.entry_id = j.id")
            .query()
            .singleRow();
    assertThat(stored.get("fhir_message")).isEqualTo(message);
    assertThat(new String((byte[]) stored.get("payload"), StandardCharsets.UTF_8))
        .isEqualTo(message);
    if (lz4) {
      assertThat(stored.get("how")).isEqualTo("lz4");
    } else {
      // Out of line as it came: no pglz, the stored size is the text's.
      assertThat(stored.get("how")).isNull();
      assertThat(((Number) stored.get("size")).intValue()).isGreaterThanOrEqualTo(message.length());
    }
  }

  @Test
  void theJournalTable_leavesRoomForHeapOnlyUpdates() {
    List<String> options =
        jdbc.sql("SELECT unnest(reloptions) FROM pg_class WHERE relname = 'journal_entry'")
            .query(String.class)
            .list();
    assertThat(options).contains("fillfactor=70");
  }
}
