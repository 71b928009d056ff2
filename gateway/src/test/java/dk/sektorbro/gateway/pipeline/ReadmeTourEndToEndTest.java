package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.FhirTimes;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The README's tour, step by step with its own files and values, on whatever date it runs: the note
 * is held for consent, a consent given now releases it, the REST sample ends HELD_CONSENT, and the
 * acknowledgement template dropped into data/inbound/ acknowledges the sent message.
 */
// Needs the application as it starts: a fresh journal (counts from zero), the samples as they are.
// A property nothing reads makes the application this class's own (it is part of the test context
// cache's key): without it, the class reused the shared application when a shared class ran just
// before it (a run of -Dit.test=ConsentEndToEndTest,ReadmeTourEndToEndTest), and counted that
// class's held entries.
@TestPropertySource(properties = "sektorbro.test.application=readme-tour")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReadmeTourEndToEndTest extends GatewayIntegrationTest {

  private static final Path TEMPLATE = REPO.resolve("docs/examples/acknowledgement-ok.json");

  @Test
  void theTourWorksTopToBottom() throws Exception {
    // 1-2: the note is held for consent
    drop(
        "nordby-socialpsykiatri",
        "note.json",
        TestFiles.read(
            TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json")));
    await().atMost(Duration.ofSeconds(60)).until(() -> total("HELD_CONSENT") == 1);

    // 3: the README's consent, given now
    String consent =
        """
        {"citizenCpr": "0503455012", "type": "consent", "givenBy": {"type": "citizen"},
         "recipients": [{"kind": "organisation", "sor": "990031000016002"}],
         "informationCategories": ["social-conditions", "current-treatment"], "purpose": "care-coordination",
         "givenAt": "%s", "collectedBy": "Karen Holm", "form": "written"}
        """
            .formatted(FhirTimes.now());
    GatewayClient.Response recorded =
        adminClient()
            .post("/api/v1/consents", "application/json", consent.getBytes(StandardCharsets.UTF_8));
    assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);

    // 4: in the postbox; the REST sample ends HELD_CONSENT, as the README says
    await().atMost(Duration.ofSeconds(60)).until(() -> total("SENT") == 1);
    GatewayClient.Response rest =
        intakeClient()
            .post(
                "/api/v1/records/nordby-hjemmepleje",
                "application/xml",
                TestFiles.read(TEST_MESSAGES.resolve("nordby-hjemmepleje/visitation.xml")));
    assertThat(rest.status()).isEqualTo(202);
    String restId = rest.json().get("id").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> journalEntry(restId).get("state").asText().equals("HELD_CONSENT"));

    // 5: the acknowledgement template, filled in as the README's sed command does
    try (var files = Files.list(outbox("5790009900030"))) {
      String messageHeaderId =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".xml"))
              .findFirst()
              .orElseThrow()
              .replace(".xml", "");
      String ack =
          Files.readString(TEMPLATE)
              .replace("@RESPONDS_TO@", messageHeaderId)
              .replace("@NOW@", FhirTimes.now())
              .replace("@BUNDLE_ID@", UUID.randomUUID().toString())
              .replace("@HEADER_ID@", UUID.randomUUID().toString());
      Path inbound = Files.createDirectories(dataDir().resolve("inbound"));
      Files.move(Files.writeString(inbound.resolve(".ack.tmp"), ack), inbound.resolve("ack.json"));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> total("ACKNOWLEDGED") == 1);
  }

  private int total(String state) {
    JsonNode page = operatorClient().get("/api/v1/messages?state=" + state).json();
    return page.get("total").asInt();
  }
}
