package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An integrator tries a mapping: the answer has the canonical record, the consent and addressing
 * decisions as they would be made now, the MedCom message and its validation — and the journal, the
 * queues and the postboxes are untouched.
 */
class MappingDryRunEndToEndTest extends GatewayIntegrationTest {

  private static final Path SAMPLE =
      TestFiles.TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json");
  private static final String PATH = "/api/v1/mappings/nordby-socialpsykiatri/$test";

  @Autowired JdbcTemplate jdbc;

  @Test
  void aDryRunShowsEveryDecision_andNothingIsJournaledOrSent() throws Exception {
    GatewayClient admin = adminClient();
    // A citizen of its own (no consent yet, whatever other tests recorded), and the journal, the
    // queue
    // and the postboxes as they are before: the application is shared with other test classes.
    String cpr = freshCpr();
    byte[] record = withFreshCitizen(TestFiles.read(SAMPLE), "0503455012", cpr);
    int entriesBefore = count("SELECT COUNT(*) FROM journal_entry");
    int eventsBefore = count("SELECT COUNT(*) FROM journal_event");
    int queuedBefore =
        count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'message-delivery'");
    int totalBefore = operatorClient().get("/api/v1/messages").json().get("total").asInt();
    List<Path> postboxBefore = postboxFiles();

    JsonNode held = dryRun(admin, record);
    assertThat(held.get("journaled").asBoolean()).isFalse();
    assertThat(held.get("sent").asBoolean()).isFalse();
    assertThat(held.at("/canonicalRecord/citizen/cpr").asText()).isEqualTo(cpr);
    assertThat(gate(held, "consent").get("decision").asText()).isEqualTo("HOLD");
    assertThat(gate(held, "consent").get("state").asText()).isEqualTo("HELD_CONSENT");
    assertThat(gate(held, "addressing").get("decision").asText()).isEqualTo("PASS");
    assertThat(gate(held, "addressing").at("/detail/snapshotId").isMissingNode()).isFalse();
    assertThat(held.at("/message/type").asText()).isEqualTo("CareCommunication");
    assertThat(held.at("/message/content").asText()).contains("<Bundle").contains(cpr);
    assertThat(held.at("/validation/valid").asBoolean())
        .as(held.at("/validation").toString())
        .isTrue();
    assertThat(held.at("/outcome/state").asText()).isEqualTo("HELD_CONSENT");

    // The consent the sample's citizen gave (SampleConsents), given by this test's citizen.
    SampleConsents.record(
        admin,
        cpr,
        "990031000016002",
        "care-coordination",
        List.of("social-conditions", "current-treatment"));
    JsonNode permitted = dryRun(admin, record);
    assertThat(gate(permitted, "consent").get("decision").asText()).isEqualTo("PASS");
    assertThat(gate(permitted, "consent").get("reason").asText()).isNotBlank();
    assertThat(permitted.at("/outcome/state").asText()).isEqualTo("VALIDATED");

    JsonNode broken = dryRun(admin, "{\"journalpostId\": ".getBytes(StandardCharsets.UTF_8));
    assertThat(broken.at("/outcome/state").asText()).isEqualTo("FAILED");
    assertThat(broken.at("/outcome/reason").asText()).startsWith("mapping:");

    // Nothing journaled, nothing queued, nothing in any postbox; the consent is the only change.
    assertThat(count("SELECT COUNT(*) FROM journal_entry")).isEqualTo(entriesBefore);
    assertThat(count("SELECT COUNT(*) FROM journal_event")).isEqualTo(eventsBefore);
    assertThat(count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'message-delivery'"))
        .isEqualTo(queuedBefore);
    assertThat(operatorClient().get("/api/v1/messages").json().get("total").asInt())
        .isEqualTo(totalBefore);
    assertThat(postboxFiles()).containsExactlyInAnyOrderElementsOf(postboxBefore);
  }

  private int count(String sql) {
    return jdbc.queryForObject(sql, Integer.class);
  }

  private List<Path> postboxFiles() throws IOException {
    Path outbox = properties.outboxDir();
    if (!Files.exists(outbox)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(outbox)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void onlyAdminsMayDryRun_andAnUnknownSourceIs404() {
    assertThat(operatorClient().post(PATH, "application/json", TestFiles.read(SAMPLE)).status())
        .isEqualTo(403);
    assertThat(intakeClient().post(PATH, "application/json", TestFiles.read(SAMPLE)).status())
        .isEqualTo(403);
    GatewayClient.Response unknown =
        adminClient()
            .post(
                "/api/v1/mappings/no-such-source/$test",
                "application/json",
                TestFiles.read(SAMPLE));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("OperationOutcome").contains("no mapping for source");
  }

  private static JsonNode dryRun(GatewayClient admin, byte[] record) {
    GatewayClient.Response response = admin.post(PATH, "application/json", record);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static JsonNode gate(JsonNode result, String name) {
    for (JsonNode gate : result.get("gates")) {
      if (gate.get("gate").asText().equals(name)) {
        return gate;
      }
    }
    throw new AssertionError("no " + name + " gate in " + result.get("gates"));
  }
}
