package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reply or forward repeats the earlier messages of its thread (MedCom: the text segments, and a
 * forward the attachments too): what the gateway sent before is disclosed again, to this message's
 * recipient. The consent decision must cover that too, not only the categories the new record
 * declares for its own text: a consent for one category must not carry another one out inside a
 * forward. A recipient that received the earlier message already learns nothing new from it.
 */
class ConsentThreadsEndToEndTest extends GatewayIntegrationTest {

  private static final String WARD_P3 = "990031000016002";
  private static final String DISTRICT = "990061000016005";
  private static final String DISTRICT_EAN = "5790009900061";
  private static final String MARKER = "Borgeren har genoptaget et dagligt misbrug af hash.";

  @Test
  void forwardOfAnEarlierMessage_toAnotherRecipient_needsABasisForWhatThatMessageDisclosed() {
    String cpr = freshCpr();
    consentTo(cpr, WARD_P3, List.of("social-conditions", "substance-misuse"));
    String first =
        submitJson(
            SOCIAL_PSYCHIATRY,
            note(cpr, MARKER, List.of("sociale-forhold", "misbrug"), WARD_P3, null, Map.of()));
    JsonNode sent = awaitState(first, "SENT");
    String header = sent.get("messageHeaderId").asText();

    // The district psychiatry may hear about the current treatment, nothing else.
    String narrow = consentTo(cpr, DISTRICT, List.of("current-treatment"));
    String forward =
        submitJson(
            SOCIAL_PSYCHIATRY,
            note(
                cpr,
                "Til orientering.",
                List.of("behandling"),
                DISTRICT,
                DISTRICT_EAN,
                Map.of("handling", "videresend", "beskedId", header)));

    assertThat(awaitFinal(forward).get("state").asText()).isEqualTo("HELD_CONSENT");
    JsonNode hold = event(journalEntry(forward), "consent", "HELD_CONSENT").get("detail");
    assertThat(hold.get("rule").asText()).isEqualTo("no-basis");
    assertThat(hold.get("informationCategories").toString())
        .contains("current-treatment", "social-conditions", "substance-misuse");
    assertThat(hold.get("notes").toString())
        .contains("consent " + narrow + ": information category social-conditions not covered")
        .contains("MessageHeader " + header)
        .contains("journal entry " + first);
    assertThat(postboxFilesContaining(DISTRICT_EAN, MARKER)).isEmpty();

    // A consent that covers what the forward repeats releases it, and says so.
    String wide =
        consentTo(
            cpr, DISTRICT, List.of("current-treatment", "social-conditions", "substance-misuse"));
    awaitState(forward, "SENT");
    JsonNode permit = event(journalEntry(forward), "consent-recheck", "VALIDATED").get("detail");
    assertThat(permit.get("consentId").asText()).isEqualTo(wide);
    assertThat(permit.get("informationCategories").toString()).contains("substance-misuse");
    assertThat(postboxFilesContaining(DISTRICT_EAN, MARKER)).hasSize(1);
  }

  @Test
  void replyToTheRecipientOfTheEarlierMessage_disclosesNothingNewByRepeatingIt() {
    String cpr = freshCpr();
    String consent = consentTo(cpr, WARD_P3, List.of("social-conditions", "substance-misuse"));
    String first =
        submitJson(
            SOCIAL_PSYCHIATRY,
            note(cpr, MARKER, List.of("sociale-forhold", "misbrug"), WARD_P3, null, Map.of()));
    String header = awaitState(first, "SENT").get("messageHeaderId").asText();
    // The ward P3 has the earlier message: the reply's own text decides, under the same consent.
    String reply =
        submitJson(
            SOCIAL_PSYCHIATRY,
            note(
                cpr,
                "Netværksmødet er flyttet til torsdag.",
                List.of("sociale-forhold"),
                WARD_P3,
                null,
                Map.of("handling", "svar", "beskedId", header)));
    awaitState(reply, "SENT");
    JsonNode permit = event(journalEntry(reply), "consent", "RECEIVED").get("detail");
    assertThat(permit.get("consentId").asText()).isEqualTo(consent);
    assertThat(permit.get("informationCategories").toString()).doesNotContain("substance-misuse");
  }

  private byte[] note(
      String cpr,
      String text,
      List<String> categories,
      String recipientSor,
      String recipientEan,
      Map<String, String> thread) {
    ObjectNode note = socialNote(cpr, freshRecordId("SP-TRAAD-SAMTYKKE"));
    note.put("tekst", text);
    ObjectNode recipient = (ObjectNode) note.get("modtager");
    recipient.put("sor", recipientSor);
    if (recipientEan != null) {
      recipient.put("ean", recipientEan).put("navn", "Distriktspsykiatrien Nordby");
    }
    ObjectNode consent = (ObjectNode) note.get("samtykke");
    categories.forEach(consent.putArray("oplysningstyper")::add);
    if (!thread.isEmpty()) {
      ObjectNode traad = note.putObject("traad");
      thread.forEach(traad::put);
    }
    return json(note);
  }
}
