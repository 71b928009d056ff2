package dk.sektorbro.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An integrator tries a mapping: the answer has the canonical record, the consent and addressing
 * decisions as they would be made now, the MedCom message and its validation — and the journal,
 * the queues and the postboxes are untouched.
 */
class MappingDryRunEndToEndTest extends GatewayIntegrationTest {

  private static final Path SAMPLE = TestFiles.TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json");
  private static final String PATH = "/api/v1/mappings/nordby-socialpsykiatri/$test";

  @Autowired JdbcTemplate jdbc;

  @Test
  void aDryRunShowsEveryDecision_andNothingIsJournaledOrSent() throws Exception {
    GatewayClient admin = client("admin", ADMIN_PASSWORD);

    JsonNode held = dryRun(admin, TestFiles.read(SAMPLE));
    assertThat(held.get("journaled").asBoolean()).isFalse();
    assertThat(held.get("sent").asBoolean()).isFalse();
    assertThat(held.at("/canonicalRecord/citizen/cpr").asText()).isEqualTo("0503455012");
    assertThat(gate(held, "consent").get("decision").asText()).isEqualTo("HOLD");
    assertThat(gate(held, "consent").get("state").asText()).isEqualTo("HELD_CONSENT");
    assertThat(gate(held, "addressing").get("decision").asText()).isEqualTo("PASS");
    assertThat(gate(held, "addressing").at("/detail/snapshotId").isMissingNode()).isFalse();
    assertThat(held.at("/message/type").asText()).isEqualTo("CareCommunication");
    assertThat(held.at("/message/content").asText()).contains("<Bundle").contains("0503455012");
    assertThat(held.at("/validation/valid").asBoolean()).as(held.at("/validation").toString()).isTrue();
    assertThat(held.at("/outcome/state").asText()).isEqualTo("HELD_CONSENT");

    SampleConsents.recordAll(admin);
    JsonNode permitted = dryRun(admin, TestFiles.read(SAMPLE));
    assertThat(gate(permitted, "consent").get("decision").asText()).isEqualTo("PASS");
    assertThat(gate(permitted, "consent").get("reason").asText()).isNotBlank();
    assertThat(permitted.at("/outcome/state").asText()).isEqualTo("VALIDATED");

    JsonNode broken = dryRun(admin, "{\"journalpostId\": ".getBytes(StandardCharsets.UTF_8));
    assertThat(broken.at("/outcome/state").asText()).isEqualTo("FAILED");
    assertThat(broken.at("/outcome/reason").asText()).startsWith("mapping:");

    // Nothing journaled, nothing queued, nothing in any postbox; the consents are the only change.
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal_entry", Integer.class)).isZero();
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM journal_event", Integer.class)).isZero();
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = 'message-delivery'", Integer.class)).isZero();
    assertThat(operatorClient().get("/api/v1/messages").json().get("total").asInt()).isZero();
    Path outbox = properties.outboxDir();
    if (Files.exists(outbox)) {
      try (Stream<Path> files = Files.walk(outbox)) {
        assertThat(files.filter(Files::isRegularFile)).isEmpty();
      }
    }
  }

  @Test
  void onlyAdminsMayDryRun_andAnUnknownSourceIs404() {
    assertThat(operatorClient().post(PATH, "application/json", TestFiles.read(SAMPLE)).status()).isEqualTo(403);
    assertThat(intakeClient().post(PATH, "application/json", TestFiles.read(SAMPLE)).status()).isEqualTo(403);
    GatewayClient.Response unknown = client("admin", ADMIN_PASSWORD)
        .post("/api/v1/mappings/no-such-source/$test", "application/json", TestFiles.read(SAMPLE));
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
