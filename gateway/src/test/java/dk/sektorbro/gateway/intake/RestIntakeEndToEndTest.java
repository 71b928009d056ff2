package dk.sektorbro.gateway.intake;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.support.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.junit.jupiter.api.Test;

/**
 * The REST door: every valid sample accepted and delivered; every bad input refused with a reason
 * and journaled.
 */
class RestIntakeEndToEndTest extends GatewayIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Test
  void validSamples_areAcceptedAndDelivered() throws Exception {
    SampleConsents.recordAll(adminClient());
    for (String source : List.of("nordby-socialpsykiatri", "nordby-hjemmepleje")) {
      String type = source.endsWith("hjemmepleje") ? "application/xml" : "application/json";
      for (Path sample : TestFiles.validSamples(source)) {
        // Under a record id of its own: another test in the shared application may post the same
        // sample.
        Response response =
            intakeClient(source)
                .post("/api/v1/records/" + source, type, withFreshId(TestFiles.read(sample)));
        assertThat(response.status()).as(sample.toString()).isEqualTo(202);
        String id = response.json().get("id").asText();
        assertThat(response.location()).isEqualTo("/api/v1/messages/" + id);
        assertThat(response.json().get("state").asText()).isEqualTo("RECEIVED");
        JsonNode entry = awaitState(id, "SENT");
        Path file =
            outbox(entry.get("recipient").get("gln").asText())
                .resolve(entry.get("messageHeaderId").asText() + ".xml");
        Bundle bundle = FHIR.newXmlParser().parseResource(Bundle.class, Files.readString(file));
        Communication communication = first(bundle, Communication.class);
        assertThat(communication.getPayloadFirstRep().getContentStringType().getValue())
            .isEqualTo(entry.get("canonicalRecord").get("text").asText());
        assertThat(entry.get("channel").asText()).isEqualTo("REST");
      }
    }
  }

  /**
   * By default the shared intake user cannot submit as the hospital: a hospital source's records
   * may rest on legal bases only a hospital has (the discharge letter to the GP, no consent).
   */
  @Test
  void theSharedUser_isRefusedTheHospitalsSource_byDefault_itsOwnUserIsNot() throws Exception {
    String hospital = "region-nord-psykiatri";
    byte[] letter =
        withFreshId(
            TestFiles.read(TEST_MESSAGES.resolve(hospital + "/udskrivningsbrev-egen-laege.json")));

    Response shared =
        intakeClient().post("/api/v1/records/" + hospital, "application/json", letter);
    assertThat(shared.status()).as(shared.body()).isEqualTo(403);
    assertThat(shared.json().get("issue").get(0).get("code").asText()).isEqualTo("forbidden");
    // Journaled as refused, without the record.
    assertThat(operatorClient().get(shared.location()).json().get("state").asText())
        .isEqualTo("FAILED");

    Response own =
        intakeClient(hospital).post("/api/v1/records/" + hospital, "application/json", letter);
    assertThat(own.status()).as(own.body()).isEqualTo(202);
    assertThat(awaitState(own.json().get("id").asText(), "SENT").get("state").asText())
        .isEqualTo("SENT");
  }

  @Test
  void sameRecordTwice_yieldsOneMessage_andTheFirstId() {
    SampleConsents.recordAll(adminClient());
    // A record of its own: other tests post the same sample.
    String recordId = freshRecordId("SP-DUP");
    byte[] record = TestFiles.medicationQuestion(recordId);
    Response first =
        intakeClient().post("/api/v1/records/nordby-socialpsykiatri", "application/json", record);
    Response second =
        intakeClient().post("/api/v1/records/nordby-socialpsykiatri", "application/json", record);
    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("duplicate").asBoolean()).isTrue();
    assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    // And by file: the same record dropped into the inbox is the same message again.
    drop("nordby-socialpsykiatri", "again.json", record);
    JsonNode entry = awaitState(first.json().get("id").asText(), "SENT");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(inbox("nordby-socialpsykiatri").resolve("again.json")).doesNotExist());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode history =
                  operatorClient()
                      .get("/api/v1/messages/" + entry.get("id").asText())
                      .json()
                      .get("history");
              assertThat(history.toString())
                  .contains("duplicate submission via REST")
                  .contains("duplicate submission via FILE");
            });
    assertThat(
            operatorClient()
                .get("/api/v1/messages?source=nordby-socialpsykiatri&size=200")
                .json()
                .get("items"))
        .filteredOn(i -> recordId.equals(i.get("sourceRecordId").asText()))
        .hasSize(1);
  }

  @Test
  void changedContent_sameRecordId_isANewMessage() {
    byte[] record =
        withFreshId(
            TestFiles.read(
                TestFiles.TEST_MESSAGES.resolve("nordby-socialpsykiatri/andet-med-emne.json")));
    byte[] changed =
        new String(record, StandardCharsets.UTF_8)
            .replace("kl. 10", "kl. 11")
            .getBytes(StandardCharsets.UTF_8);
    String a =
        intakeClient()
            .post("/api/v1/records/nordby-socialpsykiatri", "application/json", record)
            .json()
            .get("id")
            .asText();
    String b =
        intakeClient()
            .post("/api/v1/records/nordby-socialpsykiatri", "application/json", changed)
            .json()
            .get("id")
            .asText();
    assertThat(a).isNotEqualTo(b);
  }
}
