package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real gateway with the official MedCom packages: a record that passes intake but translates to
 * an invalid message ends FAILED with the validator's issues in its history, and nothing reaches an
 * outbox; a valid record in the same run is delivered.
 */
class InvalidTranslationEndToEndTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = "nordby-socialpsykiatri";

  @Test
  void invalidTranslation_endsFailedWithIssues_andNeverReachesAnOutbox() throws IOException {
    SampleConsents.recordAll(adminClient());
    Path sample = TEST_MESSAGES.resolve(SOURCE).resolve("koordinering-med-bilag.json");
    ObjectNode record = (ObjectNode) JSON.readTree(sample.toFile());
    String invalidId = freshRecordId("SP-E2E-INVALID");
    record.put("journalpostId", invalidId);
    // Passes intake (a title is present), but the title is only a file suffix: MedCom strips the
    // suffix, and an attachment without a title breaks payload.contentAttachment.title 1..1.
    ((ObjectNode) record.get("bilag").get(0)).put("filnavn", ".pdf");
    // Counted from what the shared application holds already.
    int failedBefore = count("FAILED");
    int sentBefore = count("SENT");
    drop(SOURCE, "invalid.json", JSON.writeValueAsBytes(record));
    List<Path> postboxBefore = postboxFiles();
    byte[] valid = withFreshId(Files.readAllBytes(sample));
    String validId = JSON.readTree(valid).get("journalpostId").asText();
    drop(SOURCE, "valid.json", valid);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(count("FAILED")).isEqualTo(failedBefore + 1);
              assertThat(count("SENT")).isEqualTo(sentBefore + 1);
            });

    JsonNode failed = entry("FAILED", invalidId);
    assertThat(failed.get("sourceRecordId").asText()).isEqualTo(invalidId);
    assertThat(failed.get("reason").asText())
        .startsWith("invalid against MedCom medcom.fhir.dk.carecommunication#5.0.2");
    JsonNode validation = lastEvent(failed);
    assertThat(validation.get("stage").asText()).isEqualTo("validate");
    JsonNode issues = validation.get("detail").get("issues");
    List<String> errors = new ArrayList<>();
    issues.forEach(
        i -> {
          if (i.get("severity").asText().equals("ERROR")) {
            assertThat(i.get("location").asText()).isNotBlank();
            errors.add(i.get("location").asText() + ": " + i.get("message").asText());
          }
        });
    assertThat(errors)
        .anyMatch(e -> e.contains("payload[1]") && e.contains("title: minimum required = 1"));
    assertThat(failed.get("outboxPath").isNull()).isTrue();

    JsonNode sent = entry("SENT", validId);
    assertThat(history(sent))
        .anyMatch(
            h ->
                h.get("state").asText().equals("VALIDATED")
                    && h.get("reason")
                        .asText()
                        .startsWith("valid against MedCom medcom.fhir.dk.carecommunication#5.0.2"));
    List<Path> added = new ArrayList<>(postboxFiles());
    added.removeAll(postboxBefore);
    assertThat(added.stream().map(Path::getFileName).map(Path::toString))
        .containsExactly(sent.get("messageHeaderId").asText() + ".xml");
  }

  private List<Path> postboxFiles() throws IOException {
    if (!Files.exists(properties.outboxDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(properties.outboxDir())) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  /** The entry of this test's record among those in {@code state}. */
  private JsonNode entry(String state, String recordId) {
    for (JsonNode item :
        operatorClient().get("/api/v1/messages?state=" + state + "&size=200").json().get("items")) {
      if (recordId.equals(item.get("sourceRecordId").asText())) {
        return entry(item);
      }
    }
    throw new AssertionError("no " + state + " entry for record " + recordId);
  }

  @Test
  void health_namesTheLoadedChainsAndTheirPackageVersions() {
    JsonNode conformance =
        operatorClient().get("/actuator/health").json().get("components").get("conformance");

    assertThat(conformance.get("status").asText()).isEqualTo("UP");
    assertThat(conformance.get("details").get("medcomPackages").asText()).isEqualTo("installed");
    JsonNode chains = conformance.get("details").get("chains");
    assertThat(chains.get("CareCommunication").get("packages").toString())
        .contains(
            "medcom.fhir.dk.carecommunication#5.0.2",
            "medcom.fhir.dk.messaging#4.0.2",
            "medcom.fhir.dk.core#3.0.1",
            "medcom.fhir.dk.terminology#2.0.1",
            "medcom.fhir.dk.messagedefinitions#1.0.0",
            "hl7.fhir.dk.core#3.4.0");
    assertThat(chains.get("Acknowledgement").get("packages").toString())
        .contains(
            "medcom.fhir.dk.acknowledgement#2.0.3",
            "medcom.fhir.dk.messaging#2.1.0",
            "medcom.fhir.dk.core#2.0.1",
            "medcom.fhir.dk.terminology#2.0.1",
            "hl7.fhir.dk.core#2.0.0");
    assertThat(chains.get("HospitalNotification").get("packages").toString())
        .contains(
            "medcom.fhir.dk.hospitalnotification#3.0.2",
            "medcom.fhir.dk.messaging#2.1.0",
            "medcom.fhir.dk.core#2.0.0",
            "medcom.fhir.dk.terminology#1.1.1",
            "hl7.fhir.dk.core#2.0.0");
    assertThat(conformance.toString())
        .doesNotContain(MedComChains.PACKAGES.getFileName().toString() + "/");
  }

  private int count(String state) {
    return operatorClient().get("/api/v1/messages?state=" + state).json().get("total").asInt();
  }

  private JsonNode entry(JsonNode item) {
    return operatorClient().get("/api/v1/messages/" + item.get("id").asText()).json();
  }

  private static JsonNode lastEvent(JsonNode entry) {
    List<JsonNode> history = history(entry);
    return history.get(history.size() - 1);
  }

  private static List<JsonNode> history(JsonNode entry) {
    List<JsonNode> events = new ArrayList<>();
    entry.get("history").forEach(events::add);
    return events;
  }
}
