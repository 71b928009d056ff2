package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Consent is decided again whenever a message would go, not only at the gate: a message waiting for
 * a failing transport (RETRYING) that the citizen's revocation reaches is not delivered by its next
 * attempt, and a recipient an administrator changes after the gate permitted the first one is
 * decided anew, on the new recipient.
 */
class ConsentAtSendTimeEndToEndTest extends GatewayIntegrationTest {

  private static final String WARD_P3 = "990031000016002";
  private static final String WARD_P3_EAN = "5790009900030";
  private static final String GP = "990051000016007";
  private static final String GP_EAN = "5790009900054";
  private static final List<String> CATEGORIES = List.of("social-conditions", "current-treatment");

  @Test
  void revokedWhileTheTransportFails_theNextAttemptIsHeld_andNothingIsWritten() throws IOException {
    String cpr = freshCpr();
    String consent = consentTo(cpr, WARD_P3, CATEGORIES);
    String id =
        submitWhileBlocked(
            WARD_P3_EAN, SOCIAL_PSYCHIATRY, note(cpr), retrying -> revokeConsent(consent));
    // The postbox works again, and the admin has the scheduled attempt made now instead of after
    // its back-off (30 s), as after fixing a postbox: the schedule's next attempt, whenever it
    // comes, rechecks first.
    GatewayClient.Response retry = retry(adminClient(), id, "postkassen virker igen");
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().get("state").asText()).isEqualTo("RETRYING");
    await().atMost(Duration.ofSeconds(90)).until(() -> !"RETRYING".equals(state(id)));
    assertThat(state(id)).isEqualTo("HELD_CONSENT");
    JsonNode hold = event(journalEntry(id), "consent-recheck", "HELD_CONSENT").get("detail");
    assertThat(hold.get("rule").asText()).isEqualTo("no-basis");
    assertThat(hold.get("notes").toString())
        .contains("consent " + consent + " to this recipient was revoked at ");
    assertThat(postboxFilesContaining(WARD_P3_EAN, cpr)).isEmpty();
  }

  @Test
  void recipientChangedByAnAdminAfterTheGate_isDecidedOnTheNewRecipient() throws IOException {
    String cpr = freshCpr();
    String consent = consentTo(cpr, WARD_P3, CATEGORIES);
    String id =
        submitWhileBlocked(
            WARD_P3_EAN,
            SOCIAL_PSYCHIATRY,
            note(cpr),
            retrying -> {
              GatewayClient.Response edit =
                  adminClient()
                      .post(
                          "/api/v1/messages/" + retrying + "/edit",
                          "application/json",
                          """
                          {"changes": {"recipient.sor": "%s", "recipient.gln": "%s",
                                       "recipient.name": "Lægehuset Nordby"},
                           "comment": "afdelingens postkasse svarer ikke, send til egen læge"}
                          """
                              .formatted(GP, GP_EAN)
                              .getBytes(StandardCharsets.UTF_8));
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
    assertThat(postboxFilesContaining(GP_EAN, cpr)).isEmpty();
    assertThat(postboxFilesContaining(WARD_P3_EAN, cpr)).isEmpty();
  }

  private static byte[] note(String cpr) {
    return json(socialNote(cpr, freshRecordId("SP-SENDETID")));
  }
}
