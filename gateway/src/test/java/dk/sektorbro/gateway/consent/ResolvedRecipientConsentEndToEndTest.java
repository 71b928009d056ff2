package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Consent is decided on the recipient addressing resolved, not on the raw address in the record: an
 * EAN-only or badly written SOR, a closed unit and its successor, a consent to the organisation
 * above a ward. The journal and the message list show the resolved recipient, also while held.
 */
class ResolvedRecipientConsentEndToEndTest extends GatewayIntegrationTest {

  private static final String WARD_P3 = "990031000016002";
  private static final String WARD_P3_EAN = "5790009900030";
  private static final String CLOSED_P1 = "990131000016003";
  private static final String CLOSED_P1_EAN = "5790009900092";
  private static final String PSYCHIATRY = "990121000016000";
  private static final List<String> CATEGORIES = List.of("social-conditions", "current-treatment");

  @Test
  void addressedByEanOnly_aConsentOnTheSor_releasesIt() {
    String cpr = "0104651234";
    consent(cpr, WARD_P3);
    String id = submit(cpr, "RR-EAN-1", to -> to.remove("sor"));
    awaitState(id, "SENT");
    JsonNode permit = event(journalEntry(id), "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("consent");
    assertThat(permit.get("recipient").get("sor").asText()).isEqualTo(WARD_P3);
  }

  @Test
  void sorWrittenWithSpacesAndHyphens_isMatchedAfterNormalising() {
    String cpr = "0204651234";
    consent(cpr, WARD_P3);
    String id = submit(cpr, "RR-SOR-1", to -> to.put("sor", "990031-000016 002"));
    awaitState(id, "SENT");
  }

  @Test
  void consentToAClosedWard_coversItsSuccessor_andSaysSo() {
    String cpr = "0304651234";
    String consentId = consent(cpr, CLOSED_P1);
    String id = submit(cpr, "RR-SUCC-1", to -> to.put("sor", CLOSED_P1).put("ean", CLOSED_P1_EAN));
    awaitState(id, "SENT");
    JsonNode permit = event(journalEntry(id), "consent", "RECEIVED").get("detail");
    assertThat(permit.get("consentId").asText()).isEqualTo(consentId);
    assertThat(permit.get("recipient").get("sor").asText()).isEqualTo(WARD_P3);
    assertThat(permit.get("notes").toString())
        .contains("closed")
        .contains("succeeded by " + WARD_P3);
    assertThat(journalEntry(id).get("recipient").get("sor").asText()).isEqualTo(WARD_P3);
  }

  @Test
  void consentToTheHospital_coversItsWard_andSaysSo() {
    String cpr = "0404651234";
    consent(cpr, PSYCHIATRY);
    String id = submit(cpr, "RR-ORG-1", to -> {});
    awaitState(id, "SENT");
    assertThat(event(journalEntry(id), "consent", "RECEIVED").get("detail").get("notes").toString())
        .contains("SOR " + WARD_P3 + " is below " + PSYCHIATRY);
  }

  @Test
  void heldMessage_showsItsResolvedRecipient_inTheList() {
    String cpr = "0504651234";
    String id = submit(cpr, "RR-HELD-1", to -> to.remove("sor"));
    awaitState(id, "HELD_CONSENT");
    JsonNode list = operatorClient().get("/api/v1/messages?state=HELD_CONSENT&size=200").json();
    JsonNode row = null;
    for (JsonNode item : list.get("items")) {
      if (item.get("id").asText().equals(id)) {
        row = item;
      }
    }
    assertThat(row).as("held message in the list").isNotNull();
    assertThat(row.get("recipient").get("sor").asText()).isEqualTo(WARD_P3);
    assertThat(row.get("recipient").get("gln").asText()).isEqualTo(WARD_P3_EAN);
    assertThat(
            operatorClient()
                .get("/api/v1/messages?recipient=" + WARD_P3 + "&state=HELD_CONSENT&size=200")
                .json()
                .get("items")
                .toString())
        .contains(id);
  }

  // ---- helpers ----

  private String consent(String cpr, String sor) {
    return consentTo(cpr, sor, CATEGORIES);
  }

  private String submit(String cpr, String recordId, Consumer<ObjectNode> recipient) {
    ObjectNode note = socialNote(cpr, recordId);
    recipient.accept((ObjectNode) note.get("modtager"));
    return submitJson(SOCIAL_PSYCHIATRY, json(note));
  }
}
