package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The legal-basis rule table (docs/consent.md) on the running gateway, one scenario per rule,
 * through the REST API and the journal: a claimed basis is checked against who sends (mapping and
 * SOR registry), who receives (the kind the record states, the registry's sector), what and why,
 * and the §13a/§13b plan the gateway knows. The negative cases are the ones a data protection
 * officer asks about: the wrong sender kind, no plan, no recipient kind, a relative.
 */
class LegalBasisEndToEndTest extends GatewayIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PIPELINE = Duration.ofSeconds(90);
  private static final String SOCIAL = "nordby-socialpsykiatri";
  private static final String HOSPITAL = "region-nord-psykiatri";
  private static final String WARD_P3 = "990031000016002";
  private static final String WARD_P3_EAN = "5790009900030";
  private static final String GP = "990051000016007";
  private static final String GP_EAN = "5790009900054";

  // ---- discharge letter (Health Act §41(2)(2)): the discharging hospital to the citizen's own GP ----

  @Test
  void dischargeLetter_fromTheHospitalToOwnGp_isSentWithoutConsent() throws IOException {
    String id = submit(HOSPITAL, hospitalNote("1103641234", "LB-DL-1", n -> {}));
    awaitState(id, "SENT");
    JsonNode permit = event(id, "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("discharge-letter-gp");
    assertThat(permit.get("sender").get("kind").asText()).isEqualTo("hospital");
    assertThat(permit.get("sender").get("how").asText()).contains("mapping of source " + HOSPITAL)
        .contains("registry sector hospital");
    assertThat(permit.get("recipient").get("sector").asText()).isEqualTo("practice");

    // The leader's and the DPO's report: disclosures on a legal basis without consent, by basis, sender, month.
    JsonNode report = operatorClient().get("/api/v1/consents/$legal-basis-report").json();
    assertThat(report.get("items")).anyMatch(i -> i.get("legalBasis").asText().equals("discharge-letter-gp")
        && i.get("source").asText().equals(HOSPITAL) && i.get("senderKind").asText().equals("hospital")
        && i.get("disclosures").asLong() >= 1);
    GatewayClient.Response csv = operatorClient().get("/api/v1/consents/$legal-basis-report?format=csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.body()).startsWith("period;legalBasis;source;senderKind;disclosures\n")
        .containsPattern("\\d{4}-\\d{2};discharge-letter-gp;" + HOSPITAL + ";hospital;\\d+");
  }

  @Test
  void dischargeLetter_toOwnGpWithoutTheKindStated_isHeld() throws IOException {
    String id = submit(HOSPITAL, hospitalNote("1203641234", "LB-DL-2", n -> ((ObjectNode) n.get("modtager")).remove("type")));
    assertHeldWithNote(id, "legal basis discharge-letter-gp applies only when the record states the recipient's kind");
  }

  @Test
  void dischargeLetter_toAWardCalledOwnGp_isHeld_theRegistrySaysHospital() throws IOException {
    String id = submit(HOSPITAL, hospitalNote("1303641234", "LB-DL-3", n -> {
      ((ObjectNode) n.get("modtager")).put("sor", WARD_P3).put("ean", WARD_P3_EAN).put("navn", "Afsnit P3");
    }));
    assertHeldWithNote(id, "the record says the recipient is own-gp, but the SOR registry places " + WARD_P3
        + " in sector hospital");
  }

  // ---- current treatment (Health Act §41(2)(1)): between health persons ----

  @Test
  void currentTreatment_fromTheHospitalToOwnGp_isSent() throws IOException {
    String id = submit(HOSPITAL, hospitalNote("1403641234", "LB-CT-1", n -> {
      n.put("kategori", "Psykiatri");
      ((ObjectNode) n.get("samtykke")).put("hjemmel", "behandling").put("formaal", "behandling");
    }));
    awaitState(id, "SENT");
    assertThat(event(id, "consent", "RECEIVED").get("detail").get("rule").asText()).isEqualTo("current-treatment");
  }

  @Test
  void currentTreatment_fromHomeCare_isHeld_homeCareIsNotAHealthPerson() throws IOException {
    String xml = Files.readString(TEST_MESSAGES.resolve("nordby-hjemmepleje/observation-til-egen-laege.xml"))
        .replace("HP-2026-5001", "LB-CT-2")
        .replace("150547-5123", "1503641234")
        .replace("<modtager>", "<modtager type=\"EGEN_LAEGE\">")
        .replace("<deling formaal=\"PLEJE\">", "<deling formaal=\"PLEJE\" hjemmel=\"BEHANDLING\">");
    GatewayClient.Response response = intakeClient().post("/api/v1/records/nordby-hjemmepleje", "application/xml",
        xml.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    assertHeldWithNote(response.json().get("id").asText(),
        "sender kind home-care may not use legal basis current-treatment");
  }

  @Test
  void currentTreatment_cannotEvenBeClaimedByTheSocialPsychiatryMapping() throws IOException {
    ObjectNode note = socialNote("1603641234", "LB-CT-3", n -> ((ObjectNode) n.get("samtykke")).put("hjemmel", "behandling"));
    GatewayClient.Response response = intakeClient().post("/api/v1/records/" + SOCIAL, "application/json", bytes(note));
    assertThat(response.status()).as(response.body()).isEqualTo(422);
    assertThat(response.body()).contains("legalBasis");
  }

  // ---- Psychiatry Act §13c: only for the §13a/§13b plan the gateway knows ----

  @Test
  void psychiatryAct13c_withoutAPlan_isHeld() throws IOException {
    String id = submit(SOCIAL, socialNote("1703641234", "LB-13C-1", n -> thirteenC(n, null)));
    assertHeldWithNote(id, "legal basis psychiatry-act-13c needs the discharge agreement (§13a) or coordination plan"
        + " (§13b) the disclosure belongs to, and the record names none");
  }

  @Test
  void psychiatryAct13c_withAPlanTheGatewayDoesNotKnow_isHeld() throws IOException {
    String id = submit(SOCIAL, socialNote("1803641234", "LB-13C-2", n -> thirteenC(n, "UA-NOT-SENT")));
    assertHeldWithNote(id, "plan UA-NOT-SENT is not a plan the gateway knows");
  }

  @Test
  void psychiatryAct13c_toAGpWithNoRecipientKind_isHeld() throws IOException {
    String id = submit(SOCIAL, socialNote("1903641234", "LB-13C-3", n -> {
      thirteenC(n, null);
      ((ObjectNode) n.get("modtager")).put("sor", GP).put("ean", GP_EAN).put("navn", "Lægehuset Nordby").remove("type");
    }));
    assertHeldWithNote(id, "legal basis psychiatry-act-13c applies only when the record states the recipient's kind");
  }

  @Test
  void psychiatryAct13c_belongingToTheCitizensDischargeAgreement_isSent() throws IOException {
    String cpr = "2003641234";
    String plan = Files.readString(TEST_MESSAGES.resolve("nordby-planer/udskrivningsaftale.json"))
        .replace("PLAN-13A-0003-v1", "LB-PLAN-1").replace("UA-2026-0003", "UA-LB-0001")
        .replace("210955-5321", cpr.substring(0, 6) + "-" + cpr.substring(6));
    submit("nordby-planer", plan.getBytes(StandardCharsets.UTF_8));
    String id = submit(SOCIAL, socialNote(cpr, "LB-13C-4", n -> thirteenC(n, "UA-LB-0001")));
    awaitState(id, "SENT");
    JsonNode permit = event(id, "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("psychiatry-act-13c");
    assertThat(permit.get("plan").get("kind").asText()).isEqualTo("discharge-agreement");

    // The same plan number does not open the door for another citizen.
    String other = submit(SOCIAL, socialNote("2103641234", "LB-13C-5", n -> thirteenC(n, "UA-LB-0001")));
    assertHeldWithNote(other, "plan UA-LB-0001 is about another citizen");
  }

  // ---- acute danger: expressible, and permitted when the facts hold ----

  @Test
  void acuteDanger_withPurposeSafetyAndAReason_isSent() throws IOException {
    String id = submit(SOCIAL, socialNote("2203641234", "LB-AD-1", n -> {
      ((ObjectNode) n.get("modtager")).put("sor", GP).put("ean", GP_EAN).put("navn", "Lægehuset Nordby")
          .put("type", "egen-laege");
      ((ObjectNode) n.get("samtykke")).put("hjemmel", "akut-fare").put("formaal", "sikkerhed")
          .put("begrundelse", "truede i nat med at skade naboen");
    }));
    awaitState(id, "SENT");
    assertThat(event(id, "consent", "RECEIVED").get("detail").get("rule").asText()).isEqualTo("acute-danger");
  }

  @Test
  void acuteDanger_toARelative_isHeld_relativesAlwaysNeedConsent() throws IOException {
    String id = submit(SOCIAL, socialNote("2303641234", "LB-REL-1", n -> {
      ObjectNode to = (ObjectNode) n.get("modtager");
      to.removeAll();
      to.put("navn", "Ida Testesen").put("type", "paaroerende");
      ((ObjectNode) n.get("samtykke")).put("hjemmel", "akut-fare").put("formaal", "sikkerhed")
          .put("begrundelse", "truede i nat med at skade naboen");
      ((ArrayNode) n.get("samtykke").get("oplysningstyper")).removeAll().add("indlaeggelse");
    }));
    assertHeldWithNote(id, "relatives always need explicit consent");
  }

  // ---- admin release with a legal basis: the same checks ----

  @Test
  void adminRelease_under13c_isCheckedLikeARecord_andAcuteDangerWithPurposeSafetySucceeds() throws IOException {
    String id = submit(SOCIAL, socialNote("2403641234", "LB-REL-2", n -> ((ObjectNode) n.get("modtager")).put("type", "sygehus")));
    awaitState(id, "HELD_CONSENT");
    GatewayClient admin = client("admin", ADMIN_PASSWORD);
    GatewayClient.Response released = admin.post("/api/v1/messages/" + id + "/release", "application/json",
        "{\"legalBasis\": \"psychiatry-act-13c\", \"justification\": \"udskrivning\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(released.status()).as(released.body()).isEqualTo(200);
    awaitState(id, "HELD_CONSENT");
    assertThat(event(id, "consent", "HELD_CONSENT").get("detail").get("notes").toString())
        .contains("needs the discharge agreement (§13a) or coordination plan (§13b)");

    GatewayClient.Response acute = admin.post("/api/v1/messages/" + id + "/release", "application/json",
        ("{\"legalBasis\": \"acute-danger\", \"purpose\": \"safety\", \"justification\": \"truede personalet\"}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(acute.status()).as(acute.body()).isEqualTo(200);
    awaitState(id, "SENT");
    JsonNode permit = event(id, "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("acute-danger");
    assertThat(permit.get("purpose").asText()).isEqualTo("safety");
  }

  // ---- helpers ----

  private static void thirteenC(ObjectNode note, String plan) {
    ObjectNode consent = (ObjectNode) note.get("samtykke");
    consent.put("hjemmel", "psykiatrilov-13c").put("formaal", "udskrivelse");
    ((ArrayNode) consent.get("oplysningstyper")).removeAll().add("sociale-forhold").add("misbrug").add("behandling");
    ((ObjectNode) note.get("modtager")).put("type", "sygehus");
    if (plan != null) {
      consent.put("planNummer", plan);
    }
  }

  private ObjectNode socialNote(String cpr, String recordId, Consumer<ObjectNode> change) throws IOException {
    ObjectNode note = (ObjectNode) JSON.readTree(TEST_MESSAGES.resolve(SOCIAL).resolve("status-efter-udskrivelse.json").toFile());
    note.put("journalpostId", recordId);
    ((ObjectNode) note.get("borger")).put("cpr", cpr);
    change.accept(note);
    return note;
  }

  private ObjectNode hospitalNote(String cpr, String recordId, Consumer<ObjectNode> change) throws IOException {
    ObjectNode note = (ObjectNode) JSON.readTree(
        TEST_MESSAGES.resolve(HOSPITAL).resolve("udskrivningsbrev-egen-laege.json").toFile());
    note.put("journalpostId", recordId);
    ((ObjectNode) note.get("borger")).put("cpr", cpr);
    change.accept(note);
    return note;
  }

  private String submit(String source, ObjectNode note) {
    return submit(source, bytes(note));
  }

  private String submit(String source, byte[] body) {
    GatewayClient.Response response = intakeClient().post("/api/v1/records/" + source, "application/json", body);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json().get("id").asText();
  }

  private void assertHeldWithNote(String id, String note) {
    awaitState(id, "HELD_CONSENT");
    JsonNode hold = event(id, "consent", "HELD_CONSENT").get("detail");
    assertThat(hold.get("rule").asText()).isEqualTo("no-basis");
    assertThat(hold.get("notes").toString()).contains(note);
  }

  private JsonNode event(String id, String stage, String state) {
    JsonNode found = null;
    for (JsonNode h : journalEntry(id).get("history")) {
      if (h.get("stage").asText().equals(stage) && h.get("state").asText().equals(state)) {
        found = h;
      }
    }
    assertThat(found).as("event %s/%s of %s", stage, state, id).isNotNull();
    return found;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
