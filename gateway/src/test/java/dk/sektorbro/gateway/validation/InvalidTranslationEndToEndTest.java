package dk.sektorbro.gateway.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real gateway with the official MedCom packages: a record that passes intake but translates
 * to an invalid message ends FAILED with the validator's issues in its history, and nothing
 * reaches an outbox; a valid record in the same run is delivered.
 */
// Own properties (the MedCom packages): no other class shares this application; closed after the class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class InvalidTranslationEndToEndTest extends GatewayIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = "nordby-socialpsykiatri";

  @DynamicPropertySource
  static void medcomPackages(DynamicPropertyRegistry registry) {
    registry.add("gateway.conformance.package-dir", MedComChains.PACKAGES::toString);
    registry.add("gateway.conformance.profiles-dir", () -> REPO.resolve("profiles").toString());
  }

  @Test
  void invalidTranslation_endsFailedWithIssues_andNeverReachesAnOutbox() throws IOException {
    SampleConsents.recordAll(client("admin", ADMIN_PASSWORD));
    Path sample = TEST_MESSAGES.resolve(SOURCE).resolve("koordinering-med-bilag.json");
    ObjectNode record = (ObjectNode) JSON.readTree(sample.toFile());
    record.put("journalpostId", "SP-E2E-INVALID");
    // Passes intake (a title is present), but the title is only a file suffix: MedCom strips the
    // suffix, and an attachment without a title breaks payload.contentAttachment.title 1..1.
    ((ObjectNode) record.get("bilag").get(0)).put("filnavn", ".pdf");
    drop(SOURCE, "invalid.json", JSON.writeValueAsBytes(record));
    drop(SOURCE, "valid.json", Files.readAllBytes(sample));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(count("FAILED")).isEqualTo(1);
      assertThat(count("SENT")).isEqualTo(1);
    });

    JsonNode failed = entry(operatorClient().get("/api/v1/messages?state=FAILED").json().get("items").get(0));
    assertThat(failed.get("sourceRecordId").asText()).isEqualTo("SP-E2E-INVALID");
    assertThat(failed.get("reason").asText()).startsWith("invalid against MedCom medcom.fhir.dk.carecommunication#5.0.2");
    JsonNode validation = lastEvent(failed);
    assertThat(validation.get("stage").asText()).isEqualTo("validate");
    JsonNode issues = validation.get("detail").get("issues");
    List<String> errors = new ArrayList<>();
    issues.forEach(i -> {
      if (i.get("severity").asText().equals("ERROR")) {
        assertThat(i.get("location").asText()).isNotBlank();
        errors.add(i.get("location").asText() + ": " + i.get("message").asText());
      }
    });
    assertThat(errors).anyMatch(e -> e.contains("payload[1]") && e.contains("title: minimum required = 1"));
    assertThat(failed.get("outboxPath").isNull()).isTrue();

    JsonNode sent = entry(operatorClient().get("/api/v1/messages?state=SENT").json().get("items").get(0));
    assertThat(history(sent)).anyMatch(h -> h.get("state").asText().equals("VALIDATED")
        && h.get("reason").asText().startsWith("valid against MedCom medcom.fhir.dk.carecommunication#5.0.2"));
    try (Stream<Path> files = Files.walk(properties.outboxDir())) {
      assertThat(files.filter(Files::isRegularFile).map(Path::getFileName).map(Path::toString))
          .containsExactly(sent.get("messageHeaderId").asText() + ".xml");
    }
  }

  @Test
  void health_namesTheLoadedChainsAndTheirPackageVersions() {
    JsonNode conformance = operatorClient().get("/actuator/health").json().get("components").get("conformance");

    assertThat(conformance.get("status").asText()).isEqualTo("UP");
    assertThat(conformance.get("details").get("medcomPackages").asText()).isEqualTo("installed");
    JsonNode chains = conformance.get("details").get("chains");
    assertThat(chains.get("CareCommunication").get("packages").toString())
        .contains("medcom.fhir.dk.carecommunication#5.0.2", "medcom.fhir.dk.messaging#4.0.2",
            "medcom.fhir.dk.core#3.0.1", "medcom.fhir.dk.terminology#2.0.1",
            "medcom.fhir.dk.messagedefinitions#1.0.0", "hl7.fhir.dk.core#3.4.0");
    assertThat(chains.get("Acknowledgement").get("packages").toString())
        .contains("medcom.fhir.dk.acknowledgement#2.0.3", "medcom.fhir.dk.messaging#2.1.0",
            "medcom.fhir.dk.core#2.0.1", "medcom.fhir.dk.terminology#2.0.1", "hl7.fhir.dk.core#2.0.0");
    assertThat(chains.get("HospitalNotification").get("packages").toString())
        .contains("medcom.fhir.dk.hospitalnotification#3.0.2", "medcom.fhir.dk.messaging#2.1.0",
            "medcom.fhir.dk.core#2.0.0", "medcom.fhir.dk.terminology#1.1.1", "hl7.fhir.dk.core#2.0.0");
    assertThat(conformance.toString()).doesNotContain(MedComChains.PACKAGES.getFileName().toString() + "/");
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
