package dk.sektorbro.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Which system sends is an authenticated fact (the consent red team's finding): each source has an
 * intake user of its own that may submit to that source only, and the shared {@code intake} user is
 * limited to the sources that are not a hospital's (the default; a list of named sources is bound
 * and enforced the same way: IntakePermissionsTest). A municipal system's credentials cannot name
 * the hospital source and so claim the hospital-only legal bases; the refusal is journaled without
 * the record and audited.
 */
// The shared application: its hospital users' password is set (HOSPITAL_INTAKE_PASSWORD), the home
// care user's is generated, and the shared user has the default sources.
class SourceIntakeUsersEndToEndTest extends GatewayIntegrationTest {

  private static final String HOSPITAL_PASSWORD = HOSPITAL_INTAKE_PASSWORD;
  private static final String HOSPITAL = "region-nord-psykiatri";
  private static final String HOME_CARE = "nordby-hjemmepleje";
  private static final String LETTER_CPR = "120364-4417";

  @Test
  void aSourceUser_isRefusedAnotherSource_andNothingIsSent_whileItsOwnSourceWorks() {
    GatewayClient homeCare =
        client("intake-" + HOME_CARE, generatedPassword("intake-" + HOME_CARE));
    byte[] letter = dischargeLetter();

    Response refused = homeCare.post("/api/v1/records/" + HOSPITAL, "application/json", letter);

    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/json");
    JsonNode issue = refused.json().get("issue").get(0);
    assertThat(refused.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(issue.get("code").asText()).isEqualTo("forbidden");
    assertThat(issue.get("diagnostics").asText())
        .isEqualTo(
            "user 'intake-nordby-hjemmepleje' may not submit records to source"
                + " 'region-nord-psykiatri'");
    // Journaled like the other intake refusals, but without the record: never mapped, never
    // dispatched, no personal data kept.
    assertThat(refused.location()).startsWith("/api/v1/messages/");
    JsonNode entry = operatorClient().get(refused.location()).json();
    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.get("source").asText()).isEqualTo(HOSPITAL);
    assertThat(entry.toString()).doesNotContain(LETTER_CPR).doesNotContain("Prøvesen");
    assertThat(entry.path("original").isMissingNode() || entry.get("original").isNull())
        .as("no original kept: %s", entry)
        .isTrue();

    // The same letter from the hospital's own user: a new message (the refusal took no place), sent
    // on the hospital's legal basis.
    Response accepted =
        client("intake-" + HOSPITAL, HOSPITAL_PASSWORD)
            .post("/api/v1/records/" + HOSPITAL, "application/json", letter);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().get("duplicate").asBoolean()).isFalse();
    JsonNode sent = awaitState(accepted.json().get("id").asText(), "SENT");
    assertThat(event(sent, "consent", "RECEIVED").get("detail").get("rule").asText())
        .isEqualTo("discharge-letter-gp");

    // The home-care system's own source works with its own user.
    Response own =
        homeCare.post(
            "/api/v1/records/" + HOME_CARE,
            "application/xml",
            withFreshId(TestFiles.read(TEST_MESSAGES.resolve(HOME_CARE + "/visitation.xml"))));
    assertThat(own.status()).as(own.body()).isEqualTo(202);

    // Audited: who, which source, from where; never the record.
    String audit =
        client("auditor", AUDITOR_PASSWORD)
            .get("/api/v1/audit?action=INTAKE_FORBIDDEN&size=200")
            .body();
    assertThat(audit)
        .contains("INTAKE_FORBIDDEN")
        .contains("intake-nordby-hjemmepleje")
        .doesNotContain(LETTER_CPR);
  }

  @Test
  void aSourceUser_mayDoNothingElse() {
    GatewayClient homeCare =
        client("intake-" + HOME_CARE, generatedPassword("intake-" + HOME_CARE));
    assertThat(homeCare.get("/api/v1/messages").status()).isEqualTo(403);
    assertThat(
            homeCare.post("/fhir/$process-message", "application/fhir+json", new byte[0]).status())
        .isEqualTo(403);
    assertThat(
            homeCare
                .post("/api/v1/records/no-such-source", "application/json", "{}".getBytes())
                .status())
        .as("another source, known or not")
        .isEqualTo(403);
    assertThat(
            client("intake-" + HOME_CARE, "wrong")
                .post("/api/v1/records/" + HOME_CARE, "application/xml", new byte[0])
                .status())
        .isEqualTo(401);
    // The login guard knows the source users: the failure is audited under the user's name.
    assertThat(client("auditor", AUDITOR_PASSWORD).get("/api/v1/audit?action=LOGIN_FAILED").body())
        .contains("\"actor\":\"intake-nordby-hjemmepleje\"");
  }

  @Test
  void theSharedUser_isRefusedTheHospitalSource_notTheMunicipalOnes_adminIsNot() {
    Response refused =
        intakeClient().post("/api/v1/records/" + HOSPITAL, "application/json", dischargeLetter());
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.json().get("issue").get(0).get("diagnostics").asText())
        .isEqualTo("user 'intake' may not submit records to source 'region-nord-psykiatri'");

    Response named =
        intakeClient()
            .post(
                "/api/v1/records/nordby-socialpsykiatri",
                "application/json",
                TestFiles.medicationQuestion(freshRecordId("SHARED-OK")));
    assertThat(named.status()).as(named.body()).isEqualTo(202);

    Response admin =
        adminClient().post("/api/v1/records/" + HOSPITAL, "application/json", dischargeLetter());
    assertThat(admin.status()).as(admin.body()).isEqualTo(202);
  }

  private static byte[] dischargeLetter() {
    return withFreshId(
        TestFiles.read(TEST_MESSAGES.resolve(HOSPITAL + "/udskrivningsbrev-egen-laege.json")));
  }

  /** A password the gateway generated into {@code <data-dir>/credentials}. */
  private String generatedPassword(String user) {
    Properties stored = new Properties();
    try (Reader reader = Files.newBufferedReader(properties.credentialsFile())) {
      stored.load(reader);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    assertThat(stored.getProperty(user)).as("generated password of " + user).isNotBlank();
    return stored.getProperty(user);
  }
}
