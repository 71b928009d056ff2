package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A consent names a unit; when the unit closes, the register's ReplacedBy may lead its messages to
 * a successor, and the consent follows (ResolvedRecipientConsentEndToEndTest). It follows only
 * within the owner the citizen consented to: a register whose closed hospital ward is "replaced by"
 * a unit of the municipality (odd data, or a take-over by another organisation) must not carry a
 * consent to the ward over to another data controller.
 */
// The shared application: the odd register is active only while the test runs (the classes of a
// shared application run one after another) and the synthetic one is imported again after it.
class ConsentSuccessorEndToEndTest extends GatewayIntegrationTest {

  private static final Path SYNTHETIC_REGISTRY = REPO.resolve("registry/synthetic-sor.xml");
  private static final String CLOSED_P1 = "990131000016003";
  private static final String CLOSED_P1_EAN = "5790009900092";
  private static final String HOME_CARE = "990021000016004";
  private static final String HOME_CARE_EAN = "5790009900023";

  /** The synthetic registry with the closed ward P1 replaced by the municipal home care. */
  private void importRegistryWithASuccessorOfAnotherOwner() throws IOException {
    String xml = Files.readString(SYNTHETIC_REGISTRY);
    String p1ReplacedByP3 =
        "<ReplacedByEntityCollection>\n            <SorIdentifier>990031000016002</SorIdentifier>";
    assertThat(xml).contains(p1ReplacedByP3);
    importRegistry(
        xml.replace(
            p1ReplacedByP3,
            "<ReplacedByEntityCollection>\n            <SorIdentifier>"
                + HOME_CARE
                + "</SorIdentifier>"));
  }

  private void importRegistry(String xml) {
    GatewayClient.Response upload =
        adminClient()
            .post(
                "/api/v1/registry/snapshots",
                "application/xml",
                xml.getBytes(StandardCharsets.UTF_8));
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);
  }

  @Test
  void consentToAClosedWard_doesNotFollowItToASuccessorOfAnotherOwner() throws IOException {
    importRegistryWithASuccessorOfAnotherOwner();
    try {
      String cpr = freshCpr();
      String consent = consentTo(cpr, CLOSED_P1, List.of("social-conditions", "current-treatment"));
      ObjectNode note = socialNote(cpr, freshRecordId("RR-SUCC-OWNER"));
      ((ObjectNode) note.get("modtager")).put("sor", CLOSED_P1).put("ean", CLOSED_P1_EAN);
      String id = submitJson(SOCIAL_PSYCHIATRY, json(note));

      JsonNode entry = awaitFinal(id);
      // Addressing followed the register to the successor; consent does not.
      assertThat(entry.get("recipient").get("sor").asText()).isEqualTo(HOME_CARE);
      assertThat(entry.get("state").asText())
          .as("state of %s (reason: %s)", id, entry.get("reason").asText())
          .isEqualTo("HELD_CONSENT");
      JsonNode hold = event(entry, "consent", "HELD_CONSENT").get("detail");
      assertThat(hold.get("rule").asText()).isEqualTo("no-basis");
      assertThat(hold.get("notes").toString())
          .contains("consent " + consent + ": recipient not named")
          .contains(CLOSED_P1 + " (")
          .contains("was succeeded by " + HOME_CARE + ", a unit of another owner");
      assertThat(postboxFilesContaining(HOME_CARE_EAN, cpr)).isEmpty();
    } finally {
      // The register the other classes of this application start from.
      importRegistry(Files.readString(SYNTHETIC_REGISTRY));
    }
  }
}
