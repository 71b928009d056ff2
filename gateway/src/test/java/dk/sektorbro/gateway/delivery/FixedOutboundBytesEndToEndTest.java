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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A message in a VANS envelope (whose envelope id and time differ at every preparation) is prepared
 * once: the first attempt fails, the retry writes exactly the bytes stored before the first
 * attempt.
 */
// Own properties (postbox transport): no other class shares this application; closed after the
// class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class FixedOutboundBytesEndToEndTest extends GatewayIntegrationTest {

  private static final String GP_GLN = "5790009900054";

  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void delivery(DynamicPropertyRegistry registry) {
    registry.add("gateway.delivery.recipients." + GP_GLN + ".transport", () -> "POSTBOX");
    registry.add("gateway.delivery.recipients." + GP_GLN + ".envelope", () -> "VANS");
    registry.add("gateway.delivery.retry.initial-delay", () -> "300ms");
    registry.add("gateway.delivery.retry.max-delay", () -> "1s");
    registry.add("gateway.delivery.schedule-poll", () -> "100ms");
  }

  @Test
  void aRetrySendsTheBytesStoredBeforeTheFirstAttempt() throws Exception {
    SampleConsents.recordAll(client("admin", ADMIN_PASSWORD));
    // A file where the postbox folder should be: the first attempt fails with an I/O error.
    Path postbox = outbox(GP_GLN);
    Files.createDirectories(postbox.getParent());
    Files.write(postbox, new byte[0]);
    byte[] record =
        new String(
                TestFiles.read(
                    TestFiles.TEST_MESSAGES.resolve(
                        "nordby-socialpsykiatri/medicin-spoergsmaal.json")),
                StandardCharsets.UTF_8)
            .replace("SP-2026-000103", "SP-FIXED-1")
            .getBytes(StandardCharsets.UTF_8);
    String id = submitJson("nordby-socialpsykiatri", record);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "RETRYING".equals(journalEntry(id).get("state").asText()));
    List<byte[]> stored = storedPayloads(id);
    assertThat(stored).hasSize(1);

    Files.delete(postbox);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "SENT".equals(journalEntry(id).get("state").asText()));
    String headerId = journalEntry(id).get("messageHeaderId").asText();
    byte[] written = Files.readAllBytes(postbox.resolve(headerId + ".vans.xml"));
    assertThat(new String(written, StandardCharsets.UTF_8)).contains(headerId);
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
