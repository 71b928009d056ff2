package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The console's "Try a mapping" page: an admin tries a record, sees every decision, nothing is
 * journaled.
 */
class MappingTestConsoleTest extends GatewayIntegrationTest {

  @Test
  void anAdminTriesARecordAndSeesTheDecisions_nothingIsJournaled() {
    ConsoleSession admin =
        ConsoleSession.login("http://localhost:" + port, "admin", ADMIN_PASSWORD);
    assertThat(admin.get("/admin/mapping-test").body())
        .contains("nordby-socialpsykiatri")
        .contains("id=\"mapping-test\"");

    // A citizen of its own, without consent whatever other tests in the shared application
    // recorded.
    String cpr = freshCpr();
    int journaledBefore = operatorClient().get("/api/v1/messages").json().get("total").asInt();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("source", "nordby-socialpsykiatri");
    form.put(
        "record",
        new String(
            withFreshCitizen(
                TestFiles.read(
                    TestFiles.TEST_MESSAGES.resolve(
                        "nordby-socialpsykiatri/status-efter-udskrivelse.json")),
                "0503455012",
                cpr),
            StandardCharsets.UTF_8));
    form.put("_csrf", admin.csrf("/admin/mapping-test"));
    HttpResponse<String> page = admin.post("/admin/mapping-test", form);

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body())
        .contains("id=\"outcome-state\">HELD_CONSENT<")
        .contains("<td>consent</td>")
        .contains("<td>HOLD</td>")
        .contains("<td>addressing</td>")
        .contains("&lt;Bundle")
        .contains(cpr);
    assertThat(operatorClient().get("/api/v1/messages").json().get("total").asInt())
        .isEqualTo(journaledBefore);

    ConsoleSession operator =
        ConsoleSession.login("http://localhost:" + port, "operator", OPERATOR_PASSWORD);
    assertThat(operator.get("/admin/mapping-test").body())
        .contains("Only administrators may try a mapping")
        .doesNotContain("id=\"mapping-test\"");
  }
}
