package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Consent is decided again whenever a message would go, not only at the gate: a message waiting for
 * a failing transport (RETRYING) that the citizen's revocation reaches is not delivered by its next
 * attempt, and a recipient an administrator changes after the gate permitted the first one is
 * decided anew, on the new recipient.
 */
class ConsentAtSendTimeEndToEndTest extends GatewayIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOCIAL = "nordby-socialpsykiatri";
  private static final String WARD_P3 = "990031000016002";
  private static final String WARD_P3_EAN = "5790009900030";
  private static final String GP = "990051000016007";
  private static final String GP_EAN = "5790009900054";
  private static final List<String> CATEGORIES = List.of("social-conditions", "current-treatment");

  @Test
  void revokedWhileTheTransportFails_theNextAttemptIsHeld_andNothingIsWritten() throws IOException {
    String cpr = freshCpr();
    String consent =
        SampleConsents.record(adminClient(), cpr, WARD_P3, "care-coordination", CATEGORIES);
    String id =
        submitWhileBlocked(
            WARD_P3_EAN,
            SOCIAL,
            note(cpr),
            retrying ->
                assertThat(
                        adminClient()
                            .post(
                                "/api/v1/consents/" + consent + "/revoke",
                                "application/json",
                                bytes("{\"revokedBy\": \"Karen Holm\"}"))
                            .status())
                    .isEqualTo(200));
    // The postbox works again: the delivery schedule's next attempt rechecks first.
    await().atMost(Duration.ofSeconds(90)).until(() -> !"RETRYING".equals(state(id)));
    assertThat(state(id)).isEqualTo("HELD_CONSENT");
    JsonNode hold = event(journalEntry(id), "consent-recheck", "HELD_CONSENT").get("detail");
    assertThat(hold.get("rule").asText()).isEqualTo("no-basis");
    assertThat(hold.get("notes").toString())
        .contains("consent " + consent + " to this recipient was revoked at ");
    assertThat(postboxFiles(WARD_P3_EAN, cpr)).isEmpty();
  }

  @Test
  void recipientChangedByAnAdminAfterTheGate_isDecidedOnTheNewRecipient() throws IOException {
    String cpr = freshCpr();
    String consent =
        SampleConsents.record(adminClient(), cpr, WARD_P3, "care-coordination", CATEGORIES);
    String id =
        submitWhileBlocked(
            WARD_P3_EAN,
            SOCIAL,
            note(cpr),
            retrying -> {
              GatewayClient.Response edit =
                  adminClient()
                      .post(
                          "/api/v1/messages/" + retrying + "/edit",
                          "application/json",
                          bytes(
                              """
                              {"changes": {"recipient.sor": "%s", "recipient.gln": "%s",
                                           "recipient.name": "Lægehuset Nordby"},
                               "comment": "afdelingens postkasse svarer ikke, send til egen læge"}
                              """
                                  .formatted(GP, GP_EAN)));
              assertThat(edit.status()).as(edit.body()).isEqualTo(200);
            });
    JsonNode entry = journalEntry(id);
    assertThat(event(entry, "consent", "RECEIVED").get("detail").get("consentId").asText())
        .isEqualTo(consent);

    assertThat(awaitFinal(id).get("state").asText()).isEqualTo("HELD_CONSENT");
    JsonNode hold = event(journalEntry(id), "consent", "HELD_CONSENT").get("detail");
    assertThat(hold.get("recipient").get("sor").asText()).isEqualTo(GP);
    assertThat(hold.get("notes").toString())
        .contains("consent " + consent + ": recipient not named");
    assertThat(postboxFiles(GP_EAN, cpr)).isEmpty();
    assertThat(postboxFiles(WARD_P3_EAN, cpr)).isEmpty();
  }

  private byte[] note(String cpr) throws IOException {
    ObjectNode note =
        (ObjectNode)
            JSON.readTree(
                TEST_MESSAGES.resolve(SOCIAL).resolve("status-efter-udskrivelse.json").toFile());
    note.put("journalpostId", freshRecordId("SP-SENDETID"));
    ((ObjectNode) note.get("borger")).put("cpr", cpr);
    return JSON.writeValueAsBytes(note);
  }

  private List<Path> postboxFiles(String gln, String cpr) throws IOException {
    Path postbox = outbox(gln);
    if (!Files.isDirectory(postbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(postbox)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                try {
                  return Files.readString(f).contains(cpr);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
