package dk.sektorbro.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same record sent again with other bytes (whitespace, line ends, JSON key order, XML attribute
 * order: what a re-serialising client or export produces) is the same message, by REST and by file;
 * a correction under the same record id is still a new one.
 */
class EqualRecordsEndToEndTest extends GatewayIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SP = "nordby-socialpsykiatri";
  private static final String HP = "nordby-hjemmepleje";

  @Test
  void reserialisedJson_isADuplicate_byRestAndByFile_andTheFirstEntryNotesIt() {
    String recordId = freshRecordId("SP-RESER");
    byte[] record = TestFiles.medicationQuestion(recordId);
    Response first = intakeClient(SP).post("/api/v1/records/" + SP, "application/json", record);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    String id = first.json().get("id").asText();

    byte[] reserialised = reversedKeys(record, true);
    assertThat(reserialised).isNotEqualTo(record);
    Response again =
        intakeClient(SP).post("/api/v1/records/" + SP, "application/json", reserialised);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("id").asText()).isEqualTo(id);

    // By file, compact this time: the same record again, the file taken out of the inbox.
    byte[] compact = reversedKeys(record, false);
    drop(SP, "reserialised.json", compact);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(inbox(SP).resolve("reserialised.json")).doesNotExist());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(journalEntry(id).get("history").toString())
                    .contains("duplicate submission via REST")
                    .contains("duplicate submission via FILE"));
    assertThat(entriesOf(SP, recordId)).hasSize(1);
    settled(id);
  }

  @Test
  void reserialisedXml_isADuplicate() {
    String recordId = freshRecordId("HP-RESER");
    String sample =
        new String(
            TestFiles.read(TestFiles.TEST_MESSAGES.resolve(HP + "/hjaelpemidler.xml")),
            StandardCharsets.UTF_8);
    assertThat(sample)
        .contains("<besked id=\"HP-2026-5003\" type=\"HJAELPEMIDLER\" tidspunkt=")
        .contains("<oplysning kode=\"OBS\"/>");
    String record = sample.replace("HP-2026-5003", recordId);
    // Attributes in another order, an empty element written out, Windows line ends.
    String reserialised =
        record
            .replace(
                "<besked id=\""
                    + recordId
                    + "\" type=\"HJAELPEMIDLER\" tidspunkt=\"2026-11-21T13:30:00\">",
                "<besked  tidspunkt='2026-11-21T13:30:00' type=\"HJAELPEMIDLER\" id=\""
                    + recordId
                    + "\" >")
            .replace("<oplysning kode=\"OBS\"/>", "<oplysning kode=\"OBS\"></oplysning>")
            .replace("\n", "\r\n");
    assertThat(reserialised).contains("tidspunkt='2026-11-21T13:30:00'");

    Response first = post(HP, "application/xml", record);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    Response again = post(HP, "application/xml", reserialised);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().get("duplicate").asBoolean()).isTrue();
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(entriesOf(HP, recordId)).hasSize(1);
    settled(first.json().get("id").asText());
  }

  @Test
  void aCorrection_reserialisedOrNot_isANewMessage() {
    String recordId = freshRecordId("SP-CORR");
    byte[] record = TestFiles.medicationQuestion(recordId);
    byte[] corrected =
        reversedKeys(
            new String(record, StandardCharsets.UTF_8)
                .replace("kontakte hende.", "kontakte hende i dag.")
                .getBytes(StandardCharsets.UTF_8),
            true);
    Response first = post(SP, "application/json", record);
    Response second = post(SP, "application/json", corrected);
    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).as(second.body()).isEqualTo(202);
    assertThat(second.json().get("id").asText()).isNotEqualTo(first.json().get("id").asText());
    // And the correction's own resend is a duplicate of the correction, not of the first.
    Response resend = post(SP, "application/json", reversedKeys(corrected, false));
    assertThat(resend.json().get("duplicate").asBoolean()).isTrue();
    assertThat(resend.json().get("id").asText()).isEqualTo(second.json().get("id").asText());
    assertThat(entriesOf(SP, recordId)).hasSize(2);
    settled(first.json().get("id").asText(), second.json().get("id").asText());
  }

  @Test
  void aRefusedRecord_thenSentCorrectlyWithOtherBytes_isAccepted_notADuplicateOfTheRefusal() {
    String recordId = freshRecordId("SP-REFUSED");
    byte[] record = TestFiles.medicationQuestion(recordId);
    // Refused by the mapping's rules (a CPR number with no such birth date): no mapped record, no
    // record key.
    byte[] refused =
        new String(record, StandardCharsets.UTF_8)
            .replace("280252-7034", "320252-7034")
            .getBytes(StandardCharsets.UTF_8);
    Response first = post(SP, "application/json", refused);
    assertThat(first.status()).as(first.body()).isEqualTo(422);
    Response again = post(SP, "application/json", reversedKeys(refused, true));
    assertThat(again.status()).as(again.body()).isEqualTo(422);

    Response correct = post(SP, "application/json", reversedKeys(record, true));
    assertThat(correct.status()).as(correct.body()).isEqualTo(202);
    assertThat(correct.json().path("duplicate").asBoolean()).isFalse();
    settled(correct.json().get("id").asText());
  }

  // The application is shared: a test that counts messages sent after its start (FileDrop) must
  // not count this test's, so each accepted entry is through the pipeline before the test ends.
  private void settled(String... ids) {
    for (String id : ids) {
      awaitFinal(id);
    }
  }

  private Response post(String source, String type, byte[] body) {
    return intakeClient(source).post("/api/v1/records/" + source, type, body);
  }

  private Response post(String source, String type, String body) {
    return post(source, type, body.getBytes(StandardCharsets.UTF_8));
  }

  private List<JsonNode> entriesOf(String source, String recordId) {
    List<JsonNode> found = new ArrayList<>();
    operatorClient()
        .get("/api/v1/messages?source=" + source + "&size=200")
        .json()
        .get("items")
        .forEach(
            i -> {
              if (recordId.equals(i.get("sourceRecordId").asText())) {
                found.add(i);
              }
            });
    return found;
  }

  /**
   * The JSON record as another serialiser would write it: every object's keys in reverse order,
   * indented with Windows line ends, or compact.
   */
  private static byte[] reversedKeys(byte[] record, boolean indented) {
    try {
      JsonNode reversed = reversed(JSON.readTree(record));
      if (!indented) {
        return JSON.writeValueAsBytes(reversed);
      }
      String text =
          JSON.copy()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(reversed)
              .replace("\r\n", "\n")
              .replace("\n", "\r\n");
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode reversed(JsonNode node) {
    if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      node.fields().forEachRemaining(fields::add);
      Collections.reverse(fields);
      ObjectNode copy = JSON.createObjectNode();
      fields.forEach(f -> copy.set(f.getKey(), reversed(f.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JSON.createArrayNode();
      node.forEach(e -> copy.add(reversed(e)));
      return copy;
    }
    return node;
  }
}
