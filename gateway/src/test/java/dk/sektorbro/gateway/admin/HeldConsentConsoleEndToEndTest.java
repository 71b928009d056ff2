package dk.sektorbro.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The admin on call opens a care plan held for consent. The timeline said "held for consent: no
 * consent in force covers ...", but the rule that held it (its code), the purpose and the
 * information categories the decision was about were only in the event's raw detail, shown after
 * "Show personal data": to learn which rule held the plan the admin had to open (and have audited)
 * the citizen's personal data. They are codes, not personal data, and the page shows them.
 */
class HeldConsentConsoleEndToEndTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RULE =
      Pattern.compile("<[^>]*class=\"consent-rule\"[^>]*>(.*?)</p>", Pattern.DOTALL);

  @Test
  void heldForConsent_thePageNamesTheRuleThatHeldIt_withoutOpeningPersonalData()
      throws IOException {
    String cpr = freshCpr();
    ObjectNode kip =
        (ObjectNode) JSON.readTree(TEST_MESSAGES.resolve("nordby-planer/kip-v1.json").toFile());
    kip.put("journalpostId", freshRecordId("PLAN-KIP-CONSOLE"));
    kip.put("plannummer", freshRecordId("KIP-CONSOLE"));
    ((ObjectNode) kip.get("borger")).put("cpr", hyphenated(cpr));
    String id = submitJson("nordby-planer", json(kip));
    awaitState(id, "HELD_CONSENT");

    ConsoleSession operator = ConsoleSession.login(base(), "operator", OPERATOR_PASSWORD);
    String page = operator.get("/admin/messages/" + id).body();

    Matcher rule = RULE.matcher(page);
    assertThat(rule.find()).as("a consent rule on the held event:%n%s", page).isTrue();
    assertThat(rule.group(1))
        .contains("no-basis", "HOLD", "care-coordination", "care-plans", "substance-misuse");
    assertThat(page).doesNotContain(cpr, hyphenated(cpr), "Testesen", "Skizofreni");
    // The list of held messages names the rule too: the night's held messages at a glance.
    String list = operator.get("/admin/messages?state=HELD_CONSENT&cpr=" + cpr).body();
    Matcher reason = Pattern.compile("<td class=\"reason\">([^<]*)</td>").matcher(list);
    assertThat(reason.find()).as("a held message in the list:%n%s", list).isTrue();
    assertThat(reason.group(1)).contains("no-basis");
    assertThat(reason.find()).as("one message of this citizen").isFalse();
    // (The test's own API reads of the entry are audited as "opened via api".)
    assertThat(adminClient().get("/api/v1/audit?entryId=" + id).body())
        .doesNotContain("opened via console");
  }

  private String base() {
    return "http://localhost:" + port;
  }
}
