package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The admin on call opens a message held for its address. The timeline said "candidates are
 * suggested" (rule R13), but the suggested registry units were only in the event's raw detail,
 * shown after "Show personal data": to learn which unit to edit the message to, the admin had to
 * open (and have audited) the citizen's personal data. The suggestions are registry data, and the
 * page shows them.
 */
class HeldAddressConsoleEndToEndTest extends GatewayIntegrationTest {

  @Test
  void heldForItsAddress_thePageNamesTheSuggestedUnits_withoutOpeningPersonalData()
      throws IOException {
    String sample =
        Files.readString(
            TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json"));
    String nameOnly =
        sample.replaceFirst("\"modtager\": \\{[^}]*}", "\"modtager\": {\"navn\": \"Afsnit P3\"}");
    assertThat(nameOnly).isNotEqualTo(sample);
    String id =
        submitJson(
            "nordby-socialpsykiatri", withFreshId(nameOnly.getBytes(StandardCharsets.UTF_8)));
    awaitState(id, "HELD_ADDRESS");

    ConsoleSession operator = ConsoleSession.login(base(), "operator", OPERATOR_PASSWORD);
    String page = operator.get("/admin/messages/" + id).body();

    assertThat(page)
        .contains(
            "990031000016002",
            "5790009900030",
            "Region Nord Psykiatri Afsnit P3",
            "Region Nord &gt; Region Nord Psykiatrien &gt; Region Nord Psykiatri Afsnit P3")
        .doesNotContain("0503455012", "Testesen");
    // (The test's own API reads of the entry are audited as "opened via api".)
    assertThat(adminClient().get("/api/v1/audit?entryId=" + id).body())
        .doesNotContain("opened via console");
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
