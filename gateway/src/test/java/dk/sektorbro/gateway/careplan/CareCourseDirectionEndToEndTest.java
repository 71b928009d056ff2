package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A care-course plan (plejeforløbsplan) goes from the hospital to the municipality (domain.md §4
 * and W1 step 3, 003:824-834), through real intake on the real application: one from a municipal
 * source, or to a unit the SOR registry places in a hospital, is refused with the reason and
 * journaled FAILED; the hospital's plan to the municipality is accepted.
 */
class CareCourseDirectionEndToEndTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLE = "plejeforloebsplan.json";
  private static final AtomicInteger NUMBERS = new AtomicInteger();

  @Test
  void aCareCoursePlanFromTheHospitalToTheMunicipality_isAccepted() throws IOException {
    GatewayClient.Response answer = post(SamplePlans.HOSPITAL_SOURCE, plan());

    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
  }

  @Test
  void aCareCoursePlanFromTheMunicipality_isRefused() throws IOException {
    // The shape the nordby-planer sample had until this session: the municipality to the hospital.
    ObjectNode record = plan();
    ObjectNode from = (ObjectNode) record.get("afsender");
    from.put("enhed", "Nordby Kommune, Socialpsykiatrien");
    from.put("sor", "990011000016008");
    from.put("ean", "5790009900016");
    hospitalRecipient(record);

    GatewayClient.Response refused = post(SamplePlans.SOURCE, record);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body())
        .contains("OperationOutcome", "plan-direction", "from the hospital to the municipality");
    JsonNode entry = journalEntry(refused.json().path("id").asText("?"));
    assertThat(entry.get("state").asText()).as(entry.toString()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText()).contains("plan-direction");
  }

  @Test
  void aCareCoursePlanFromTheHospitalToAHospital_isRefused() throws IOException {
    ObjectNode record = plan();
    hospitalRecipient(record);

    GatewayClient.Response refused = post(SamplePlans.HOSPITAL_SOURCE, record);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("OperationOutcome", "recipient.sor", "plan-direction");
    JsonNode entry = journalEntry(refused.json().path("id").asText("?"));
    assertThat(entry.get("state").asText()).as(entry.toString()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText()).contains("plan-direction");
  }

  private static void hospitalRecipient(ObjectNode record) {
    ObjectNode to = (ObjectNode) record.get("modtager");
    to.put("navn", "Region Nord Psykiatri, Afsnit P3");
    to.put("sor", "990031000016002");
    to.put("ean", "5790009900030");
    to.put("type", "sygehus");
  }

  private GatewayClient.Response post(String source, ObjectNode record) throws IOException {
    return intakeClient(source)
        .post("/api/v1/records/" + source, "application/json", JSON.writeValueAsBytes(record));
  }

  /** The sample under a plan number, citizen and record id of this test. */
  private static ObjectNode plan() throws IOException {
    String number = "DIR-" + ProcessHandle.current().pid() + "-" + NUMBERS.incrementAndGet();
    ObjectNode record = (ObjectNode) JSON.readTree(SamplePlans.path(SAMPLE).toFile());
    record.put("journalpostId", freshRecordId("PLAN-DIR-" + number));
    record.put("plannummer", number);
    ((ObjectNode) record.get("borger")).put("cpr", hyphenated(freshCpr()));
    return record;
  }
}
