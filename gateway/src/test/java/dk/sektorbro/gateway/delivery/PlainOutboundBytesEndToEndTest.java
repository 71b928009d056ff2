package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * On a plain postbox route (no envelope, no signing, no encryption) the outbound bytes are the
 * journal's message, kept once: the row fixed before the first attempt has no payload of its own,
 * and the retry after a failed first attempt writes exactly the journal's message of that Bundle.
 */
class PlainOutboundBytesEndToEndTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";

  @Autowired JdbcClient jdbc;
  @Autowired DeliveryBookkeeping bookkeeping;

  @Test
  void aRetryWritesTheJournalsMessage_storedOnce() throws Exception {
    SampleConsents.recordAll(adminClient());
    byte[] record = TestFiles.medicationQuestion(freshRecordId("SP-PLAIN"));
    // A file where the postbox folder should be: the first attempt fails with an I/O error, after
    // the bytes were fixed.
    String id =
        submitWhileBlocked(
            GP_GLN,
            "nordby-socialpsykiatri",
            record,
            blocked -> {
              List<Map<String, Object>> rows = rows(blocked);
              assertThat(rows).hasSize(1);
              assertThat(rows.get(0).get("payload")).as("no second copy of the message").isNull();
            });
    assertThat(bookkeeping.retryNow(id)).isTrue();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "SENT".equals(journalEntry(id).get("state").asText()));
    Path file = Path.of(journalEntry(id).get("outboxPath").asText());
    assertThat(file).startsWith(outbox(GP_GLN));
    byte[] written = Files.readAllBytes(file);
    Map<String, Object> journaled =
        jdbc.sql("SELECT bundle_id, fhir_message FROM journal_entry WHERE id = :id")
            .param("id", id)
            .query()
            .singleRow();
    assertThat(written)
        .isEqualTo(((String) journaled.get("fhir_message")).getBytes(StandardCharsets.UTF_8));
    assertThat(rows(id)).hasSize(1);
    assertThat(rows(id).get(0).get("bundle_id")).isEqualTo(journaled.get("bundle_id"));
  }

  private List<Map<String, Object>> rows(String id) {
    return jdbc.sql("SELECT bundle_id, payload FROM outbound_message WHERE entry_id = :id")
        .param("id", id)
        .query()
        .listOfRows();
  }
}
