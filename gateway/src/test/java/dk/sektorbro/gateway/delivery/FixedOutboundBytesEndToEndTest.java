package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A message in a signed VANS envelope (whose envelope id, time and signature differ at every
 * preparation) is prepared once: the first attempt fails, the retry writes exactly the bytes stored
 * before the first attempt.
 */
class FixedOutboundBytesEndToEndTest extends SignedVansPostboxIntegrationTest {

  @Autowired JdbcClient jdbc;

  @Test
  void aRetrySendsTheBytesStoredBeforeTheFirstAttempt() throws Exception {
    SampleConsents.recordAll(adminClient());
    byte[] record = TestFiles.medicationQuestion(freshRecordId("SP-FIXED"));
    List<byte[]> stored = new ArrayList<>();
    // A file where the postbox folder should be: the first attempt fails with an I/O error.
    String id =
        submitWhileBlocked(
            GP_GLN,
            "nordby-socialpsykiatri",
            record,
            blocked -> stored.addAll(storedPayloads(blocked)));
    assertThat(stored).as("stored before the first attempt").hasSize(1);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "SENT".equals(journalEntry(id).get("state").asText()));
    String headerId = journalEntry(id).get("messageHeaderId").asText();
    Path file = outbox(GP_GLN).resolve(headerId + ".vans.xml");
    assertThat(journalEntry(id).get("outboxPath").asText()).isEqualTo(file.toString());
    byte[] written = Files.readAllBytes(file);
    assertThat(unwrap(written)).contains(headerId);
    assertThat(written).isEqualTo(stored.get(0));
    assertThat(storedPayloads(id)).hasSize(1);
  }

  private List<byte[]> storedPayloads(String id) {
    return jdbc.sql("SELECT payload FROM outbound_message WHERE entry_id = :id")
        .param("id", id)
        .query((rs, n) -> rs.getBytes(1))
        .list();
  }
}
