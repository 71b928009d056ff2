package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A record dropped where no source reads it (the inbox itself, or a folder with a typo in the
 * source's name) stays where it is, unread and unjournaled, and the operator sees it in
 * /actuator/health by folder and count, the gateway still UP.
 */
class UnreadInboxFilesEndToEndTest extends GatewayIntegrationTest {

  @Test
  void filesWhereNoSourceReadsThem_areShownInHealth_andLeftAlone() throws IOException {
    Path inbox = inbox("nordby-socialpsykiatri").getParent();
    String typo = "nordby-socialpsykatri-" + freshRecordId("typo");
    String name = freshRecordId("unread") + ".json";
    byte[] record = TestFiles.medicationQuestion(freshRecordId("SP-UNREAD"));
    Path top = Files.write(inbox.resolve(name), record);
    Path misplaced =
        Files.write(Files.createDirectories(inbox.resolve(typo)).resolve(name), record);
    try {
      JsonNode component = inboxHealth();
      assertThat(component.get("status").asText()).isEqualTo("UP");
      JsonNode byFolder = component.get("details").get("unreadByFolder");
      assertThat(byFolder.get("inbox/").asInt()).isGreaterThanOrEqualTo(1);
      assertThat(byFolder.get("inbox/" + typo + "/").asInt()).isEqualTo(1);
      assertThat(component.toString()).doesNotContain(name);

      // Nothing reads them: for two seconds of the sources' polls they stay where they were.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> Files.exists(top) && Files.exists(misplaced));
      assertThat(
              operatorClient()
                  .get("/api/v1/messages?size=200")
                  .json()
                  .get("items")
                  .findValuesAsText("originalName"))
          .doesNotContain(name);
      assertThat(top).exists();
      assertThat(misplaced).exists();
    } finally {
      Files.deleteIfExists(top);
      Files.deleteIfExists(misplaced);
      Files.deleteIfExists(inbox.resolve(typo));
    }
    assertThat(inboxHealth().get("details").get("unreadByFolder").has("inbox/" + typo + "/"))
        .isFalse();
  }

  private JsonNode inboxHealth() {
    return operatorClient().get("/actuator/health").json().get("components").get("inbox");
  }
}
