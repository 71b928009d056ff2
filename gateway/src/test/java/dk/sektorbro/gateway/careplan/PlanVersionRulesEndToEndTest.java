package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Red team of plan versions and kinds (domain.md §4, W2) through real HTTP intake on the real
 * application: a version is one more state of the same plan of the same citizen, and a §13a
 * agreement is one the citizen agreed to. Each test uses plan numbers and citizens of its own.
 */
class PlanVersionRulesEndToEndTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = SamplePlans.SOURCE;
  private static final AtomicInteger NUMBERS = new AtomicInteger();

  @Test
  void aVersionForAnotherCitizen_isRefused_andDoesNotReplaceTheFirstCitizensPlan()
      throws IOException {
    String number = freshNumber();
    String first = freshCpr();
    String other = freshCpr();
    assertThat(post(version("udskrivningsaftale.json", number, 1, first)).status()).isEqualTo(202);

    GatewayClient.Response refused = post(version("udskrivningsaftale.json", number, 2, other));

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body())
        .contains("OperationOutcome", "plan-citizen-changed")
        .doesNotContain(other)
        .doesNotContain(first);
  }

  @Test
  void aVersionOfAnotherKind_isRefused() throws IOException {
    String number = freshNumber();
    String cpr = freshCpr();
    assertThat(post(version("udskrivningsaftale.json", number, 1, cpr)).status()).isEqualTo(202);

    // The same plan number, now as a §13b coordination plan.
    ObjectNode v2 = version("koordinationsplan.json", number, 2, cpr);
    GatewayClient.Response refused = post(v2);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("plan-kind-changed");
  }

  @Test
  void anOlderVersionAfterANewerOne_isRefused_andNotSentAsTheCurrentPlan() throws IOException {
    String number = freshNumber();
    String cpr = freshCpr();
    assertThat(post(version("udskrivningsaftale.json", number, 1, cpr)).status()).isEqualTo(202);
    assertThat(post(version("udskrivningsaftale.json", number, 3, cpr)).status()).isEqualTo(202);

    GatewayClient.Response late = post(version("udskrivningsaftale.json", number, 2, cpr));

    assertThat(late.status()).as(late.body()).isEqualTo(422);
    assertThat(late.body()).contains("plan-version-superseded");
  }

  @Test
  void aDischargeAgreementTheCitizenDidNotAgreeTo_isRefused() throws IOException {
    ObjectNode record = version("udskrivningsaftale.json", freshNumber(), 1, freshCpr());
    record.put("borgerEnig", "nej");

    GatewayClient.Response refused = post(record);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("plan.citizenAgreed", "plan-agreement");
  }

  @Test
  void aCoordinationPlanTheCitizenAgreedTo_isRefused() throws IOException {
    ObjectNode record = version("koordinationsplan.json", freshNumber(), 1, freshCpr());
    record.put("borgerEnig", "ja");

    GatewayClient.Response refused = post(record);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("plan.citizenAgreed", "plan-agreement");
  }

  @Test
  void whetherTheCitizenAgreed_onAPlanOtherThanSection13aOr13b_isRefused() throws IOException {
    // Accepted, a crisis plan said "not agreed (coordination plan under § 13 b)" in its warnings.
    ObjectNode record = version("kriseplan.json", freshNumber(), 1, freshCpr());
    record.put("borgerEnig", "nej");

    GatewayClient.Response refused = post(record);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("plan.citizenAgreed", "plan-field-kind");
  }

  @Test
  void aPlanThatEndsBeforeItsDate_isRefused() throws IOException {
    ObjectNode record = version("udskrivningsaftale.json", freshNumber(), 1, freshCpr());
    record.put("ophoersdato", "2026-11-01");

    GatewayClient.Response refused = post(record);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("plan.endDate", "date-order");
  }

  @Test
  void aPlanWhoseEndDateIsNotADate_isRefused_notTakenAsAPlanThatNeverEnds() throws IOException {
    // Read as "no end date", the plan would stay current for §13c disclosures (docs/consent.md).
    ObjectNode record = version("udskrivningsaftale.json", freshNumber(), 1, freshCpr());
    record.put("ophoersdato", "31.12.2026");

    GatewayClient.Response refused = post(record);

    assertThat(refused.status()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("plan.endDate", "not a date");
  }

  private GatewayClient.Response post(ObjectNode record) throws IOException {
    return intakeClient(SOURCE)
        .post("/api/v1/records/" + SOURCE, "application/json", JSON.writeValueAsBytes(record));
  }

  /** A sample under a plan number, version, citizen and record id of this test. */
  private static ObjectNode version(String sample, String number, int version, String cpr)
      throws IOException {
    ObjectNode record = (ObjectNode) JSON.readTree(SamplePlans.path(sample).toFile());
    record.put("journalpostId", freshRecordId("PLAN-RULES-" + number + "-v" + version));
    record.put("plannummer", number);
    record.put("version", String.valueOf(version));
    ((ObjectNode) record.get("borger")).put("cpr", hyphenated(cpr));
    return record;
  }

  private static String freshNumber() {
    return "RULES-" + ProcessHandle.current().pid() + "-" + NUMBERS.incrementAndGet();
  }
}
