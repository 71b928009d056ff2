package dk.sektorbro.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A consent names a unit; when the unit closes, the register's ReplacedBy may lead its messages to
 * a successor, and the consent follows (ResolvedRecipientConsentEndToEndTest). It follows only
 * within the owner the citizen consented to: a register whose closed hospital ward is "replaced by"
 * a unit of the municipality (odd data, or a take-over by another organisation) must not carry a
 * consent to the ward over to another data controller.
 */
// Own registry snapshot (the ward P1 replaced by the municipal home care): an application of its
// own, closed after the class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConsentSuccessorEndToEndTest extends GatewayIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = "nordby-socialpsykiatri";
  private static final String CLOSED_P1 = "990131000016003";
  private static final String CLOSED_P1_EAN = "5790009900092";
  private static final String HOME_CARE = "990021000016004";
  private static final String HOME_CARE_EAN = "5790009900023";

  // Only to give this class an application of its own: the snapshot it imports is its own.
  @DynamicPropertySource
  static void ownApplication(DynamicPropertyRegistry registry) {
    registry.add("gateway.intake.file-poll-delay", () -> "100ms");
  }

  /** The synthetic registry with the closed ward P1 replaced by the municipal home care. */
  private void importRegistryWithASuccessorOfAnotherOwner() throws IOException {
    String xml = Files.readString(REPO.resolve("registry/synthetic-sor.xml"));
    String p1ReplacedByP3 =
        "<ReplacedByEntityCollection>\n            <SorIdentifier>990031000016002</SorIdentifier>";
    assertThat(xml).contains(p1ReplacedByP3);
    String changed =
        xml.replace(
            p1ReplacedByP3,
            "<ReplacedByEntityCollection>\n            <SorIdentifier>"
                + HOME_CARE
                + "</SorIdentifier>");
    GatewayClient.Response upload =
        adminClient()
            .post(
                "/api/v1/registry/snapshots",
                "application/xml",
                changed.getBytes(StandardCharsets.UTF_8));
    assertThat(upload.status()).as(upload.body()).isEqualTo(201);
  }

  @Test
  void consentToAClosedWard_doesNotFollowItToASuccessorOfAnotherOwner() throws IOException {
    importRegistryWithASuccessorOfAnotherOwner();
    String cpr = freshCpr();
    String consent =
        SampleConsents.record(
            adminClient(),
            cpr,
            CLOSED_P1,
            "care-coordination",
            List.of("social-conditions", "current-treatment"));
    ObjectNode note =
        (ObjectNode)
            JSON.readTree(
                TEST_MESSAGES.resolve(SOURCE).resolve("status-efter-udskrivelse.json").toFile());
    note.put("journalpostId", freshRecordId("RR-SUCC-OWNER"));
    ((ObjectNode) note.get("borger")).put("cpr", cpr);
    ((ObjectNode) note.get("modtager")).put("sor", CLOSED_P1).put("ean", CLOSED_P1_EAN);
    String id = submitJson(SOURCE, JSON.writeValueAsBytes(note));

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
    assertThat(postboxFiles(HOME_CARE_EAN, cpr)).isEmpty();
  }

  private List<Path> postboxFiles(String gln, String cpr) throws IOException {
    Path postbox = outbox(gln);
    if (!Files.isDirectory(postbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(postbox)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                try {
                  return new String(Files.readAllBytes(f), StandardCharsets.UTF_8).contains(cpr);
                } catch (IOException e) {
                  return false;
                }
              })
          .toList();
    }
  }
}
