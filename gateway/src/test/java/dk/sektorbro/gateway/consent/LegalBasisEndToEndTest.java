package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.admin.ConsoleSession;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
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
  private static final String SOCIAL = SOCIAL_PSYCHIATRY;
  private static final String HOSPITAL = "region-nord-psykiatri";
  private static final String WARD_P3 = "990031000016002";
  private static final String WARD_P3_EAN = "5790009900030";
  private static final String GP = "990051000016007";
  private static final String GP_EAN = "5790009900054";

  // ---- discharge letter (Health Act §41(2)(2)): the discharging hospital to the citizen's own GP
  // ----

  @Test
  void dischargeLetter_fromTheHospitalToOwnGp_isSentWithoutConsent() throws IOException {
    String id = submitJson(HOSPITAL, hospitalNote("1103641234", "LB-DL-1", n -> {}));
    awaitState(id, "SENT");
    JsonNode permit = event(journalEntry(id), "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("discharge-letter-gp");
    assertThat(permit.get("sender").get("kind").asText()).isEqualTo("hospital");
    assertThat(permit.get("sender").get("how").asText())
        .contains("mapping of source " + HOSPITAL)
        .contains("registry sector hospital");
    assertThat(permit.get("recipient").get("sector").asText()).isEqualTo("practice");

    // The leader's and the DPO's report: disclosures on a legal basis without consent, by basis,
    // sender, month.
    JsonNode report = operatorClient().get("/api/v1/consents/$legal-basis-report").json();
    assertThat(report.get("items"))
        .anyMatch(
            i ->
                i.get("legalBasis").asText().equals("discharge-letter-gp")
                    && i.get("source").asText().equals(HOSPITAL)
                    && i.get("senderKind").asText().equals("hospital")
                    && i.get("disclosures").asLong() >= 1);
    GatewayClient.Response csv =
        operatorClient().get("/api/v1/consents/$legal-basis-report?format=csv");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.body())
        .startsWith("period;legalBasis;source;senderKind;disclosures\n")
        .containsPattern("\\d{4}-\\d{2};discharge-letter-gp;" + HOSPITAL + ";hospital;\\d+");
    // Filtered by basis and sender, in the API and on the console page (real HTTP, a logged-in
    // operator).
    assertThat(
            operatorClient()
                .get("/api/v1/consents/$legal-basis-report?legalBasis=acute-danger&sender=hospital")
                .json()
                .get("items"))
        .noneMatch(i -> i.get("legalBasis").asText().equals("discharge-letter-gp"));
    ConsoleSession console =
        ConsoleSession.login("http://localhost:" + port, "operator", OPERATOR_PASSWORD);
    HttpResponse<String> page =
        console.get("/admin/legal-basis-report?legalBasis=discharge-letter-gp&sender=" + HOSPITAL);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body())
        .contains("id=\"report\"")
        .contains("<td>discharge-letter-gp</td>")
        .contains("<td>" + HOSPITAL + "</td>")
        .contains("<td>hospital</td>")
        .contains("id=\"nav-legal-basis\"")
        .containsPattern(
            "href=\"/admin/legal-basis-report.csv\\?from=\\d{4}-\\d{2}-\\d{2}&amp;to=\\d{4}-\\d{2}-\\d{2}"
                + "&amp;legalBasis=discharge-letter-gp&amp;sender="
                + HOSPITAL
                + "\"");
    HttpResponse<String> other =
        console.get("/admin/legal-basis-report?legalBasis=acute-danger&sender=" + HOSPITAL);
    assertThat(other.body())
        .doesNotContain("<td>discharge-letter-gp</td>")
        .contains("id=\"empty\"");
    HttpResponse<String> csvDownload =
        console.get("/admin/legal-basis-report.csv?legalBasis=discharge-letter-gp");
    assertThat(csvDownload.statusCode()).isEqualTo(200);
    assertThat(csvDownload.headers().firstValue("Content-Disposition").orElse(""))
        .contains("attachment");
    assertThat(csvDownload.body())
        .startsWith("period;legalBasis;source;senderKind;disclosures\n")
        .containsPattern("\\d{4}-\\d{2};discharge-letter-gp;" + HOSPITAL + ";hospital;\\d+");
    assertThat(console.get("/admin/legal-basis-report?from=yesterday").body())
        .contains("From and to are dates");
    // Not without logging in.
    assertThat(
            ConsoleSession.login("http://localhost:" + port, null, null)
                .get("/admin/legal-basis-report")
                .statusCode())
        .isEqualTo(302);
  }

  @Test
  void dischargeLetter_toOwnGpWithoutTheKindStated_isHeld() throws IOException {
    String id =
        submitJson(
            HOSPITAL,
            hospitalNote(
                "1203641234", "LB-DL-2", n -> ((ObjectNode) n.get("modtager")).remove("type")));
    assertHeldWithNote(
        id,
        "legal basis discharge-letter-gp applies only when the record states the recipient's kind");
  }

  @Test
  void dischargeLetter_toAWardCalledOwnGp_isHeld_theRegistrySaysHospital() throws IOException {
    String id =
        submitJson(
            HOSPITAL,
            hospitalNote(
                "1303641234",
                "LB-DL-3",
                n -> {
                  ((ObjectNode) n.get("modtager"))
                      .put("sor", WARD_P3)
                      .put("ean", WARD_P3_EAN)
                      .put("navn", "Afsnit P3");
                }));
    assertHeldWithNote(
        id,
        "the record says the recipient is own-gp, but the SOR registry places "
            + WARD_P3
            + " in sector hospital");
  }

  // ---- current treatment (Health Act §41(2)(1)): between health persons ----

  @Test
  void currentTreatment_fromTheHospitalToOwnGp_isSent() throws IOException {
    String id =
        submitJson(
            HOSPITAL,
            hospitalNote(
                "1403641234",
                "LB-CT-1",
                n -> {
                  n.put("kategori", "Psykiatri");
                  ((ObjectNode) n.get("samtykke"))
                      .put("hjemmel", "behandling")
                      .put("formaal", "behandling");
                }));
    awaitState(id, "SENT");
    assertThat(event(journalEntry(id), "consent", "RECEIVED").get("detail").get("rule").asText())
        .isEqualTo("current-treatment");
  }

  /**
   * The ward's note about medication to the municipality's social psychiatry, the record calling it
   * home nursing ("hjemmesygepleje"): social psychiatry is no health person (template A part 2),
   * and the shipped registry confirms no unit as home nursing, so current treatment does not apply
   * and the note waits for a consent. (Before, the municipality's sector was taken as confirming
   * home nursing, and it was sent.)
   */
  @Test
  void currentTreatment_toSocialPsychiatryCalledHomeNursing_isHeld() throws IOException {
    String id =
        submitJson(
            HOSPITAL,
            hospitalNote(
                freshCpr(),
                freshRecordId("LB-CT-HJSP"),
                n -> {
                  n.put("kategori", "Psykiatri");
                  ((ObjectNode) n.get("samtykke"))
                      .put("hjemmel", "behandling")
                      .put("formaal", "behandling");
                  ((ObjectNode) n.get("modtager"))
                      .put("navn", "Nordby Kommune, Socialpsykiatrien")
                      .put("sor", "990011000016008")
                      .put("ean", "5790009900016")
                      .put("type", "hjemmesygepleje");
                }));
    assertHeldWithNote(
        id,
        "the record says the recipient is home-nursing, but the SOR registry places"
            + " 990011000016008 in sector municipality");
  }

  @Test
  void currentTreatment_fromHomeCare_isHeld_homeCareIsNotAHealthPerson() throws IOException {
    String xml =
        Files.readString(TEST_MESSAGES.resolve("nordby-hjemmepleje/observation-til-egen-laege.xml"))
            .replace("HP-2026-5001", "LB-CT-2")
            .replace("150547-5123", "1503641234")
            .replace("<modtager>", "<modtager type=\"EGEN_LAEGE\">")
            .replace(
                "<deling formaal=\"PLEJE\">", "<deling formaal=\"PLEJE\" hjemmel=\"BEHANDLING\">");
    GatewayClient.Response response =
        intakeClient()
            .post(
                "/api/v1/records/nordby-hjemmepleje",
                "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    assertHeldWithNote(
        response.json().get("id").asText(),
        "sender kind home-care may not use legal basis current-treatment");
  }

  @Test
  void currentTreatment_cannotEvenBeClaimedByTheSocialPsychiatryMapping() throws IOException {
    ObjectNode note =
        socialNote(
            "1603641234",
            "LB-CT-3",
            n -> ((ObjectNode) n.get("samtykke")).put("hjemmel", "behandling"));
    GatewayClient.Response response =
        intakeClient(SOCIAL).post("/api/v1/records/" + SOCIAL, "application/json", bytes(note));
    assertThat(response.status()).as(response.body()).isEqualTo(422);
    assertThat(response.body()).contains("legalBasis");
  }

  // ---- Psychiatry Act §13c: only for the §13a/§13b plan the gateway knows ----

  @Test
  void psychiatryAct13c_withoutAPlan_isHeld() throws IOException {
    String id = submitJson(SOCIAL, socialNote("1703641234", "LB-13C-1", n -> thirteenC(n, null)));
    assertHeldWithNote(
        id,
        "legal basis psychiatry-act-13c needs the discharge agreement (§13a) or coordination plan"
            + " (§13b) the disclosure belongs to, and the record names none");
  }

  @Test
  void psychiatryAct13c_withAPlanTheGatewayDoesNotKnow_isHeld() throws IOException {
    String id =
        submitJson(SOCIAL, socialNote("1803641234", "LB-13C-2", n -> thirteenC(n, "UA-NOT-SENT")));
    assertHeldWithNote(id, "plan UA-NOT-SENT is not a plan the gateway knows");
  }

  @Test
  void psychiatryAct13c_toAGpWithNoRecipientKind_isHeld() throws IOException {
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                "1903641234",
                "LB-13C-3",
                n -> {
                  thirteenC(n, null);
                  ((ObjectNode) n.get("modtager"))
                      .put("sor", GP)
                      .put("ean", GP_EAN)
                      .put("navn", "Lægehuset Nordby")
                      .remove("type");
                }));
    assertHeldWithNote(
        id,
        "legal basis psychiatry-act-13c applies only when the record states the recipient's kind");
  }

  @Test
  void psychiatryAct13c_belongingToTheCitizensDischargeAgreement_isSent() throws IOException {
    String cpr = "2003641234";
    String plan =
        Files.readString(TEST_MESSAGES.resolve("nordby-planer/udskrivningsaftale.json"))
            .replace("PLAN-13A-0003-v1", "LB-PLAN-1")
            .replace("UA-2026-0003", "UA-LB-0001")
            .replace("210955-5321", cpr.substring(0, 6) + "-" + cpr.substring(6));
    submitJson("nordby-planer", plan.getBytes(StandardCharsets.UTF_8));
    String id = submitJson(SOCIAL, socialNote(cpr, "LB-13C-4", n -> thirteenC(n, "UA-LB-0001")));
    awaitState(id, "SENT");
    JsonNode permit = event(journalEntry(id), "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("psychiatry-act-13c");
    assertThat(permit.get("plan").get("kind").asText()).isEqualTo("discharge-agreement");

    // The same plan number does not open the door for another citizen.
    String other =
        submitJson(SOCIAL, socialNote("2103641234", "LB-13C-5", n -> thirteenC(n, "UA-LB-0001")));
    assertHeldWithNote(other, "plan UA-LB-0001 is about another citizen");
  }

  @Test
  void psychiatryAct13c_underAPlanWhoseNewestVersionEnded_isHeld() throws IOException {
    String cpr = "2803641234";
    submitPlan(cpr, "UA-LB-0003", 1, null);
    submitPlan(cpr, "UA-LB-0003", 2, LocalDate.now().minusDays(2));
    String id = submitJson(SOCIAL, socialNote(cpr, "LB-13C-6", n -> thirteenC(n, "UA-LB-0003")));
    assertHeldWithNote(
        id, "plan UA-LB-0003 ended on " + LocalDate.now().minusDays(2) + " (version 2)");
  }

  /**
   * The newest version of a plan says whether it is current, but only a version someone has: a
   * version 3 without an end date, held for its address and then discarded by an administrator,
   * reached no one and does not make the plan that version 2 ended current again. (Before, it did:
   * a note referring to the plan went out under §13c.)
   */
  @Test
  void psychiatryAct13c_anEndedPlan_isNotMadeCurrentAgainByAVersionThatNeverWentOut()
      throws IOException {
    String cpr = freshCpr();
    String number = freshRecordId("UA-GENOPLIVET");
    LocalDate ended = LocalDate.now().minusDays(2);
    submitPlan(cpr, number, 1, null);
    submitPlan(cpr, number, 2, ended);
    // Version 3, no end date: ward P3 with the GP's EAN, held for the address (R7), discarded.
    String version3 =
        submitJson(
            "nordby-planer",
            bytes(
                planVersion(
                    cpr,
                    number,
                    3,
                    null,
                    p -> ((ObjectNode) p.get("modtager")).put("ean", GP_EAN))));
    awaitState(version3, "HELD_ADDRESS");
    GatewayClient.Response discard =
        adminClient()
            .post(
                "/api/v1/messages/" + version3 + "/discard",
                "application/json",
                bytes("{\"reason\": \"version 3 var en fejl\"}"));
    assertThat(discard.status()).as(discard.body()).isEqualTo(200);
    awaitState(version3, "DISCARDED");

    String id =
        submitJson(
            SOCIAL, socialNote(cpr, freshRecordId("LB-13C-GENOPLIVET"), n -> thirteenC(n, number)));
    assertHeldWithNote(id, "plan " + number + " ended on " + ended + " (version 2)");
    JsonNode hold = event(journalEntry(id), "consent", "HELD_CONSENT").get("detail");
    assertThat(hold.get("plan").get("how").asText())
        .contains("version 3 (document ")
        .contains("never went out and does not decide");
  }

  @Test
  void psychiatryAct13c_toOrFromSomeoneNotAPartyToThePlan_isHeld() throws IOException {
    String cpr = "2903641234";
    submitPlan(cpr, "UA-LB-0004", 1, LocalDate.now().plusMonths(3)); // ends later: still current
    // The plan is between the social psychiatry and ward P3; the citizen's GP is not a party to it.
    String toGp =
        submitJson(
            SOCIAL,
            socialNote(
                cpr,
                "LB-13C-7",
                n -> {
                  thirteenC(n, "UA-LB-0004");
                  ((ObjectNode) n.get("modtager"))
                      .put("sor", GP)
                      .put("ean", GP_EAN)
                      .put("navn", "Lægehuset Nordby")
                      .put("type", "egen-laege");
                }));
    assertHeldWithNote(toGp, "the recipient (SOR " + GP + ") is not a party to plan UA-LB-0004");
    // Nor is the home care, though it may use §13c for a plan it is a party to.
    String xml =
        Files.readString(TEST_MESSAGES.resolve("nordby-hjemmepleje/observation-til-egen-laege.xml"))
            .replace("HP-2026-5001", "LB-13C-8")
            .replace("150547-5123", cpr.substring(0, 6) + "-" + cpr.substring(6))
            .replace("<modtager>", "<modtager type=\"SYGEHUS\">")
            .replace("<sor>990051000016007</sor>", "<sor>" + WARD_P3 + "</sor>")
            .replace(
                "<lokationsnummer>5790009900054</lokationsnummer>",
                "<lokationsnummer>" + WARD_P3_EAN + "</lokationsnummer>")
            .replace(
                "<deling formaal=\"PLEJE\">",
                "<deling formaal=\"UDSK\" hjemmel=\"PSYKL13C\" plan=\"UA-LB-0004\">");
    GatewayClient.Response response =
        intakeClient()
            .post(
                "/api/v1/records/nordby-hjemmepleje",
                "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    assertHeldWithNote(
        response.json().get("id").asText(),
        "the sender (SOR 990021000016004) is not a party to plan UA-LB-0004");
    // The parties themselves may: social psychiatry to ward P3 under the same plan.
    String toWard =
        submitJson(SOCIAL, socialNote(cpr, "LB-13C-9", n -> thirteenC(n, "UA-LB-0004")));
    awaitState(toWard, "SENT");
    assertThat(
            event(journalEntry(toWard), "consent", "RECEIVED").get("detail").get("rule").asText())
        .isEqualTo("psychiatry-act-13c");
  }

  /**
   * Only the psychiatric department concludes a §13a/§13b plan (domain.md §3.4.3, §4): a plan
   * module that calls a plan between the municipality and a GP a "coordination plan" does not make
   * it one. Without a hospital unit among the plan's parties, neither the plan version itself nor a
   * note referring to it goes out under §13c; with the ward a party (version 1 to P3), version 2
   * may go to the GP.
   */
  @Test
  void psychiatryAct13c_planWithoutThePsychiatricDepartmentAsAParty_isHeld() throws IOException {
    String cpr = freshCpr();
    String plan = freshRecordId("KP-UDEN-AFDELING");
    String version1 = submitCoordinationPlan(cpr, plan, 1, GP, GP_EAN, "egen-laege");
    assertHeldWithNote(
        version1,
        "no psychiatric department (a unit the SOR registry places in sector hospital) is a party"
            + " to plan "
            + plan);
    assertThat(postboxFiles(cpr)).isEmpty();
    // Nor does a note under §13c that refers to it by number.
    String note =
        submitJson(
            SOCIAL,
            socialNote(
                cpr,
                freshRecordId("LB-13C-NODEPT"),
                n -> {
                  thirteenC(n, plan);
                  ((ObjectNode) n.get("modtager"))
                      .put("sor", GP)
                      .put("ean", GP_EAN)
                      .put("navn", "Lægehuset Nordby")
                      .put("type", "egen-laege");
                }));
    // (the version to the GP was held, so it makes no one a party either)
    assertHeldWithNote(note, "is not a party to plan " + plan);

    // The same kind of plan with ward P3 a party: version 2 may go to the GP under §13c.
    String withWard = freshRecordId("KP-MED-AFDELING");
    awaitState(submitCoordinationPlan(cpr, withWard, 1, WARD_P3, WARD_P3_EAN, "sygehus"), "SENT");
    String toGp = submitCoordinationPlan(cpr, withWard, 2, GP, GP_EAN, "egen-laege");
    awaitState(toGp, "SENT");
    JsonNode permit = event(journalEntry(toGp), "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("psychiatry-act-13c");
    assertThat(permit.get("plan").get("kind").asText()).isEqualTo("coordination-plan");
  }

  /**
   * A plan version that never reached its recipient (held for its address) is no evidence that the
   * ward is a party to the plan: a later version to the GP does not go out under §13c on it.
   */
  @Test
  void psychiatryAct13c_aVersionNeverDelivered_makesNoOneAParty() throws IOException {
    String cpr = freshCpr();
    String plan = freshRecordId("KP-IKKE-LEVERET");
    // Ward P3 with the GP's EAN: SOR and EAN do not belong together, held for the address (R7).
    awaitState(submitCoordinationPlan(cpr, plan, 1, WARD_P3, GP_EAN, "sygehus"), "HELD_ADDRESS");
    String toGp = submitCoordinationPlan(cpr, plan, 2, GP, GP_EAN, "egen-laege");
    assertThat(awaitFinal(toGp).get("state").asText()).isEqualTo("HELD_CONSENT");
    assertHeldWithNote(toGp, "no psychiatric department");
    assertThat(postboxFiles(cpr)).isEmpty();
  }

  // ---- acute danger: expressible, and permitted when the facts hold ----

  @Test
  void acuteDanger_withPurposeSafetyAndAReason_isSent() throws IOException {
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                "2203641234",
                "LB-AD-1",
                n -> {
                  ((ObjectNode) n.get("modtager"))
                      .put("sor", GP)
                      .put("ean", GP_EAN)
                      .put("navn", "Lægehuset Nordby")
                      .put("type", "egen-laege");
                  ((ObjectNode) n.get("samtykke"))
                      .put("hjemmel", "akut-fare")
                      .put("formaal", "sikkerhed")
                      .put("begrundelse", "truede i nat med at skade naboen");
                }));
    awaitState(id, "SENT");
    assertThat(event(journalEntry(id), "consent", "RECEIVED").get("detail").get("rule").asText())
        .isEqualTo("acute-danger");
  }

  @Test
  void acuteDanger_toARelative_isHeld_relativesAlwaysNeedConsent() throws IOException {
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                "2303641234",
                "LB-REL-1",
                n -> {
                  ObjectNode to = (ObjectNode) n.get("modtager");
                  to.removeAll();
                  to.put("navn", "Ida Testesen").put("type", "paaroerende");
                  ((ObjectNode) n.get("samtykke"))
                      .put("hjemmel", "akut-fare")
                      .put("formaal", "sikkerhed")
                      .put("begrundelse", "truede i nat med at skade naboen");
                  ((ArrayNode) n.get("samtykke").get("oplysningstyper"))
                      .removeAll()
                      .add("indlaeggelse");
                }));
    assertHeldWithNote(id, "relatives always need explicit consent");
  }

  // ---- a relative: the consent decides, but MedCom cannot deliver to a person ----

  @Test
  void toARelative_permittedByConsent_endsWithTheReasonInformByOtherMeans_neverAnAddressHold()
      throws IOException {
    String cpr = "3003641234";
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                cpr,
                "LB-REL-4",
                n -> {
                  ObjectNode to = (ObjectNode) n.get("modtager");
                  to.removeAll();
                  to.put("navn", "Ida Testesen").put("type", "paaroerende");
                  ((ObjectNode) n.get("samtykke")).put("formaal", "paaroerende");
                  ((ArrayNode) n.get("samtykke").get("oplysningstyper"))
                      .removeAll()
                      .add("indlaeggelse");
                }));
    awaitState(id, "HELD_CONSENT"); // no consent yet: relatives always need one
    assertThat(
            event(journalEntry(id), "consent", "HELD_CONSENT").get("detail").get("rule").asText())
        .isEqualTo("no-basis");
    String givenAt = FhirTimes.ago(Duration.ofDays(1));
    GatewayClient.Response consent =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                bytes(
                    """
        {"citizenCpr": "%s", "type": "consent", "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "relative", "name": "Ida Testesen", "relation": "datter"}],
         "informationCategories": ["admission-status"], "purpose": "informing-relatives", "givenAt": "%s",
         "collectedBy": "Karen Holm, socialrådgiver", "form": "written"}"""
                        .formatted(cpr, givenAt)));
    assertThat(consent.status()).as(consent.body()).isEqualTo(201);
    String consentId = consent.json().get("id").asText();

    awaitState(id, "FAILED");
    JsonNode entry = journalEntry(id);
    JsonNode end = event(journalEntry(id), "consent", "FAILED");
    assertThat(end.get("reason").asText())
        .contains("permitted by consent " + consentId)
        .contains("relatives have no MedCom postbox: inform the relative by other means");
    assertThat(end.get("detail").get("decision").asText()).isEqualTo("PERMIT");
    assertThat(end.get("detail").get("consentId").asText()).isEqualTo(consentId);
    assertThat(end.get("detail").get("delivery").asText())
        .startsWith("none: relatives have no MedCom postbox");
    assertThat(end.get("detail").toString()).doesNotContain(cpr).doesNotContain("Ida");
    assertThat(entry.get("history")).noneMatch(h -> h.get("state").asText().equals("HELD_ADDRESS"));
    assertThat(entry.get("messageHeaderId").isNull()).isTrue();
  }

  // ---- admin release with a legal basis: the same checks ----

  @Test
  void adminRelease_under13c_isCheckedLikeARecord_andAcuteDangerWithPurposeSafetySucceeds()
      throws IOException {
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                "2403641234",
                "LB-REL-2",
                n -> ((ObjectNode) n.get("modtager")).put("type", "sygehus")));
    awaitState(id, "HELD_CONSENT");
    GatewayClient admin = adminClient();
    GatewayClient.Response released =
        admin.post(
            "/api/v1/messages/" + id + "/release",
            "application/json",
            "{\"legalBasis\": \"psychiatry-act-13c\", \"justification\": \"udskrivning\"}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(released.status()).as(released.body()).isEqualTo(200);
    awaitState(id, "HELD_CONSENT");
    assertThat(
            event(journalEntry(id), "consent", "HELD_CONSENT")
                .get("detail")
                .get("notes")
                .toString())
        .contains("needs the discharge agreement (§13a) or coordination plan (§13b)");

    GatewayClient.Response acute =
        admin.post(
            "/api/v1/messages/" + id + "/release",
            "application/json",
            ("{\"legalBasis\": \"acute-danger\", \"purpose\": \"safety\", \"justification\": \"truede personalet\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(acute.status()).as(acute.body()).isEqualTo(200);
    awaitState(id, "SENT");
    JsonNode permit = event(journalEntry(id), "consent", "RECEIVED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("acute-danger");
    assertThat(permit.get("purpose").asText()).isEqualTo("safety");
  }

  @Test
  void adminRelease_withTheWrongSenderKind_isRefusedLikeARecord() throws IOException {
    // Home care is not a health person: an administrator cannot lend it the current-treatment
    // exception.
    String xml =
        Files.readString(TEST_MESSAGES.resolve("nordby-hjemmepleje/observation-til-egen-laege.xml"))
            .replace("HP-2026-5001", "LB-REL-3")
            .replace("150547-5123", "2503641234")
            .replace("<modtager>", "<modtager type=\"EGEN_LAEGE\">");
    GatewayClient.Response response =
        intakeClient()
            .post(
                "/api/v1/records/nordby-hjemmepleje",
                "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    String id = response.json().get("id").asText();
    awaitState(id, "HELD_CONSENT");
    GatewayClient.Response released =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/release",
                "application/json",
                bytes(
                    "{\"legalBasis\": \"current-treatment\", \"purpose\": \"current-treatment\","
                        + " \"justification\": \"lægen skal vide det\"}"));
    assertThat(released.status()).as(released.body()).isEqualTo(200);
    awaitHeldAgain(id, "consent");
    JsonNode hold = event(journalEntry(id), "consent", "HELD_CONSENT").get("detail");
    assertThat(hold.get("legalBasisClaimed").asText()).isEqualTo("current-treatment");
    assertThat(hold.get("notes").toString())
        .contains("sender kind home-care may not use legal basis current-treatment");
    assertThat(journalEntry(id).get("messageHeaderId").isNull()).isTrue();
  }

  // ---- a resend stopped by the recheck never becomes a new message ----

  @Test
  void resendStoppedByTheRecheck_releasedByAnAdminWithALegalBasis_isTheSameMessage_sameBytes()
      throws IOException {
    String cpr = "2603641234";
    String consentId = recordConsent(cpr);
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                cpr, "LB-RESEND-1", n -> ((ObjectNode) n.get("modtager")).put("type", "sygehus")));
    awaitState(id, "SENT");
    String headerId = journalEntry(id).get("messageHeaderId").asText();
    List<Path> first = postboxFiles(cpr);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).getFileName().toString()).startsWith(headerId);
    byte[] firstBytes = Files.readAllBytes(first.get(0));

    revokeAndResend(consentId, id);
    JsonNode recheck = event(journalEntry(id), "consent-recheck", "HELD_CONSENT").get("detail");
    assertThat(recheck.get("decision").asText()).isEqualTo("HOLD");

    // The admin releases it on a legal basis: the same rule table decides, before the postbox
    // write.
    GatewayClient.Response released =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/release",
                "application/json",
                bytes(
                    "{\"legalBasis\": \"acute-danger\", \"purpose\": \"safety\","
                        + " \"justification\": \"truede personalet i går\"}"));
    assertThat(released.status()).as(released.body()).isEqualTo(200);
    awaitSentAgain(id);
    JsonNode entry = journalEntry(id);
    assertThat(entry.get("messageHeaderId").asText()).isEqualTo(headerId);
    JsonNode permit = event(journalEntry(id), "consent-recheck", "VALIDATED").get("detail");
    assertThat(permit.get("rule").asText()).isEqualTo("acute-danger");
    assertThat(entry.get("history"))
        .anyMatch(
            h ->
                h.get("stage").asText().equals("admin")
                    && h.get("reason")
                        .asText()
                        .contains("the same message (MessageHeader " + headerId + ")"));
    // Never translated again: the postbox holds one file, the same MessageHeader id, the same
    // bytes.
    assertThat(entry.get("history"))
        .filteredOn(h -> h.get("state").asText().equals("TRANSLATED"))
        .hasSize(1);
    List<Path> after = postboxFiles(cpr);
    assertThat(after).hasSize(1);
    assertThat(Files.readString(after.get(0))).contains(headerId);
    assertThat(Files.readAllBytes(after.get(0))).isEqualTo(firstBytes);
  }

  @Test
  void
      resendStoppedByTheRecheck_adminReleaseUnder13cWithoutAPlan_isHeldAgainAtDelivery_andCanOnlyEndWithAReason()
          throws IOException {
    String cpr = "2703641234";
    String consentId = recordConsent(cpr);
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                cpr, "LB-RESEND-2", n -> ((ObjectNode) n.get("modtager")).put("type", "sygehus")));
    awaitState(id, "SENT");
    String headerId = journalEntry(id).get("messageHeaderId").asText();
    revokeAndResend(consentId, id);

    GatewayClient.Response released =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/release",
                "application/json",
                bytes(
                    "{\"legalBasis\": \"psychiatry-act-13c\", \"purpose\": \"discharge-planning\","
                        + " \"justification\": \"udskrivning\"}"));
    assertThat(released.status()).as(released.body()).isEqualTo(200);
    awaitHeldAgain(id, "consent-recheck");
    assertThat(
            event(journalEntry(id), "consent-recheck", "HELD_CONSENT")
                .get("detail")
                .get("notes")
                .toString())
        .contains("needs the discharge agreement (§13a) or coordination plan (§13b)");
    assertThat(journalEntry(id).get("messageHeaderId").asText()).isEqualTo(headerId);

    // An edited copy would be a second message to the same ward: refused, with the reason.
    GatewayClient.Response edited =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/edit",
                "application/json",
                bytes("{\"changes\": {\"topic\": \"Status (igen)\"}, \"comment\": \"prøv igen\"}"));
    assertThat(edited.status()).as(edited.body()).isEqualTo(409);
    assertThat(edited.body()).contains("second message");
    // It ends with a reason instead.
    GatewayClient.Response discarded =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/discard",
                "application/json",
                bytes("{\"reason\": \"afdelingen har fået beskeden første gang\"}"));
    assertThat(discarded.status()).as(discarded.body()).isEqualTo(200);
    awaitState(id, "DISCARDED");
    assertThat(postboxFiles(cpr)).hasSize(1);
  }

  @Test
  void resendDeniedByTheRecheck_thenRetriedByAnAdmin_isTheSameMessage() throws IOException {
    String cpr = "3103641234";
    recordConsent(cpr);
    String id =
        submitJson(
            SOCIAL,
            socialNote(
                cpr, "LB-RESEND-3", n -> ((ObjectNode) n.get("modtager")).put("type", "sygehus")));
    awaitState(id, "SENT");
    String headerId = journalEntry(id).get("messageHeaderId").asText();
    String givenAt = FhirTimes.ago(Duration.ofHours(1));
    GatewayClient.Response refusal =
        adminClient()
            .post(
                "/api/v1/consents",
                "application/json",
                bytes(
                    """
        {"citizenCpr": "%s", "type": "refusal", "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "organisation", "sor": "%s"}], "givenAt": "%s",
         "collectedBy": "Karen Holm, socialrådgiver", "form": "verbal"}"""
                        .formatted(cpr, WARD_P3, givenAt)));
    assertThat(refusal.status()).as(refusal.body()).isEqualTo(201);
    assertThat(
            adminClient()
                .post(
                    "/api/v1/messages/" + id + "/resend",
                    "application/json",
                    bytes("{\"comment\": \"afdelingen har mistet den\"}"))
                .status())
        .isEqualTo(200);
    awaitState(id, "FAILED"); // the refusal ends the resend before the postbox, with its reason
    assertThat(event(journalEntry(id), "consent-recheck", "FAILED").get("reason").asText())
        .contains(refusal.json().get("id").asText());

    assertThat(
            adminClient()
                .post(
                    "/api/v1/consents/" + refusal.json().get("id").asText() + "/revoke",
                    "application/json",
                    bytes("{\"revokedBy\": \"Karen Holm\", \"note\": \"registered by mistake\"}"))
                .status())
        .isEqualTo(200);
    GatewayClient.Response retried = retry(adminClient(), id, "afslaget var en fejl");
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    assertThat(retried.json().get("state").asText()).isEqualTo("VALIDATED");
    awaitSentAgain(id);
    assertThat(journalEntry(id).get("messageHeaderId").asText()).isEqualTo(headerId);
    assertThat(postboxFiles(cpr)).hasSize(1);
  }

  // ---- helpers ----

  private String recordConsent(String cpr) {
    return consentTo(cpr, WARD_P3, List.of("social-conditions", "current-treatment"));
  }

  /**
   * Revokes the consent and resends the delivered message: the recheck before delivery stops the
   * resend.
   */
  private void revokeAndResend(String consentId, String id) {
    revokeConsent(consentId);
    GatewayClient.Response resend =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/resend",
                "application/json",
                bytes("{\"comment\": \"afdelingen har mistet den\"}"));
    assertThat(resend.status()).as(resend.body()).isEqualTo(200);
    awaitState(id, "HELD_CONSENT");
  }

  /**
   * Waits until the last history event is a hold by {@code stage} made after the latest admin
   * action.
   */
  private void awaitHeldAgain(String id, String stage) {
    await()
        .atMost(PIPELINE)
        .untilAsserted(
            () -> {
              JsonNode history = journalEntry(id).get("history");
              JsonNode last = history.get(history.size() - 1);
              assertThat(last.get("state").asText()).isEqualTo("HELD_CONSENT");
              assertThat(last.get("stage").asText()).isEqualTo(stage);
              assertThat(lastIndex(history, "admin")).isLessThan(history.size() - 1);
            });
  }

  private void awaitSentAgain(String id) {
    await()
        .atMost(PIPELINE)
        .untilAsserted(
            () -> {
              JsonNode history = journalEntry(id).get("history");
              assertThat(journalEntry(id).get("state").asText()).isEqualTo("SENT");
              assertThat(lastIndex(history, "admin")).isLessThan(history.size() - 1);
            });
  }

  private static int lastIndex(JsonNode history, String stage) {
    int last = -1;
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).get("stage").asText().equals(stage)) {
        last = i;
      }
    }
    return last;
  }

  private List<Path> postboxFiles(String cpr) {
    return postboxFilesContaining(null, cpr);
  }

  private static void thirteenC(ObjectNode note, String plan) {
    ObjectNode consent = (ObjectNode) note.get("samtykke");
    consent.put("hjemmel", "psykiatrilov-13c").put("formaal", "udskrivelse");
    ((ArrayNode) consent.get("oplysningstyper"))
        .removeAll()
        .add("sociale-forhold")
        .add("misbrug")
        .add("behandling");
    ((ObjectNode) note.get("modtager")).put("type", "sygehus");
    if (plan != null) {
      consent.put("planNummer", plan);
    }
  }

  /**
   * A §13a discharge agreement from the social psychiatry to ward P3, stored and sent by the
   * gateway.
   */
  private void submitPlan(String cpr, String number, int version, LocalDate ended)
      throws IOException {
    String id =
        submitJson("nordby-planer", bytes(planVersion(cpr, number, version, ended, p -> {})));
    awaitState(id, "SENT");
  }

  /** That discharge agreement's version, changed by {@code change}, not yet submitted. */
  private static ObjectNode planVersion(
      String cpr, String number, int version, LocalDate ended, Consumer<ObjectNode> change)
      throws IOException {
    ObjectNode plan =
        (ObjectNode)
            JSON.readTree(TEST_MESSAGES.resolve("nordby-planer/udskrivningsaftale.json").toFile());
    plan.put("journalpostId", number + "-v" + version)
        .put("plannummer", number)
        .put("version", String.valueOf(version));
    ((ObjectNode) plan.get("borger")).put("cpr", cpr.substring(0, 6) + "-" + cpr.substring(6));
    if (ended != null) {
      plan.put("ophoersdato", ended.toString());
    }
    change.accept(plan);
    return plan;
  }

  /**
   * Version {@code version} of a §13b coordination plan from the social psychiatry's plan module to
   * the given recipient, no consent recorded; returns the journal id.
   */
  private String submitCoordinationPlan(
      String cpr, String number, int version, String sor, String ean, String kind)
      throws IOException {
    ObjectNode plan =
        (ObjectNode)
            JSON.readTree(TEST_MESSAGES.resolve("nordby-planer/koordinationsplan.json").toFile());
    plan.put("journalpostId", number + "-v" + version)
        .put("plannummer", number)
        .put("version", String.valueOf(version));
    ((ObjectNode) plan.get("borger")).put("cpr", hyphenated(cpr));
    ((ObjectNode) plan.get("modtager"))
        .put("sor", sor)
        .put("ean", ean)
        .put("navn", "Modtager")
        .put("type", kind);
    return submitJson("nordby-planer", bytes(plan));
  }

  private static ObjectNode socialNote(String cpr, String recordId, Consumer<ObjectNode> change) {
    ObjectNode note = socialNote(cpr, recordId);
    change.accept(note);
    return note;
  }

  private ObjectNode hospitalNote(String cpr, String recordId, Consumer<ObjectNode> change)
      throws IOException {
    ObjectNode note =
        (ObjectNode)
            JSON.readTree(
                TEST_MESSAGES
                    .resolve(HOSPITAL)
                    .resolve("udskrivningsbrev-egen-laege.json")
                    .toFile());
    note.put("journalpostId", recordId);
    ((ObjectNode) note.get("borger")).put("cpr", cpr);
    change.accept(note);
    return note;
  }

  private String submitJson(String source, ObjectNode note) {
    return submitJson(source, bytes(note));
  }

  private void assertHeldWithNote(String id, String note) {
    awaitState(id, "HELD_CONSENT");
    JsonNode hold = event(journalEntry(id), "consent", "HELD_CONSENT").get("detail");
    assertThat(hold.get("rule").asText()).isEqualTo("no-basis");
    assertThat(hold.get("notes").toString()).contains(note);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(JsonNode node) {
    return json(node);
  }
}
