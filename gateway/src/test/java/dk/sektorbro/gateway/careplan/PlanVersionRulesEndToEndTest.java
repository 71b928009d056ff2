package dk.sektorbro.gateway.careplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.journal.Journal;
import dk.sektorbro.gateway.platform.RouteIds;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Red team of plan versions and kinds (domain.md §4, W2) through real HTTP intake on the real
 * application: a version is one more state of the same plan of the same citizen, and a §13a
 * agreement is one the citizen agreed to. Each test uses plan numbers and citizens of its own.
 */
class PlanVersionRulesEndToEndTest extends MedComIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SOURCE = SamplePlans.SOURCE;
  private static final String P3_SOR = "990031000016002";
  private static final AtomicInteger NUMBERS = new AtomicInteger();

  /** How often two versions are sent at the same instant: the race needs a few goes to show. */
  private static final int ROUNDS = 8;

  @Autowired private JdbcClient sql;
  @Autowired private Journal journal;

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

  // A version an administrator discarded (held for consent, never delivered) stayed the
  // predecessor: version 3 went out as "replaces version 2", a version no recipient ever had, and
  // a FHIR recipient's version 1 was replaced by nothing it knew.
  @Test
  void aDiscardedVersion_isNotThePredecessor_theNextVersionReplacesTheLastOneThatWent()
      throws IOException {
    String number = freshNumber();
    String cpr = freshCpr();
    consentTo(cpr, P3_SOR, List.of("care-plans", "current-treatment", "admission-status"));
    String v1 = accepted(version("kriseplan.json", number, 1, cpr));
    awaitState(v1, "SENT");
    // Version 2 for a purpose the consent does not cover: held, then discarded by the admin.
    ObjectNode heldVersion = version("kriseplan.json", number, 2, cpr);
    ((ObjectNode) heldVersion.get("samtykke")).put("formaal", "udskrivelse");
    String v2 = accepted(heldVersion);
    awaitState(v2, "HELD_CONSENT");
    discard(v2);

    String v3 = accepted(version("kriseplan.json", number, 3, cpr));
    awaitState(v3, "SENT");

    List<Map<String, Object>> stored = storedVersions(number);
    assertThat(stored).extracting(r -> r.get("plan_version")).containsExactly(1, 2, 3);
    Object v1Doc = stored.get(0).get("id");
    assertThat(stored.get(2).get("replaces_id")).as("version 3 replaces").isEqualTo(v1Doc);
    String v3Json = operatorClient().get("/api/v1/documents/" + stored.get(2).get("id")).body();
    String v1Json = operatorClient().get("/api/v1/documents/" + v1Doc).body();
    assertThat(relatesTo(v3Json)).isEqualTo(compositionIdentifier(v1Json));
    assertThat(journalEntry(v3).get("history").toString()).contains("replaces document " + v1Doc);
  }

  // A discard that commits while a delivery attempt is writing the version does not stop that
  // copy: the attempt notes where it went ("the recipient may hold this message") in the
  // DISCARDED entry's history. That version may be at the recipient, so it stays the predecessor.
  @Test
  void aDiscardedVersionThatADeliveryAttemptStillWrote_staysThePredecessor() throws IOException {
    String number = freshNumber();
    String cpr = freshCpr();
    consentTo(cpr, P3_SOR, List.of("care-plans", "current-treatment", "admission-status"));
    awaitState(accepted(version("kriseplan.json", number, 1, cpr)), "SENT");
    ObjectNode heldVersion = version("kriseplan.json", number, 2, cpr);
    ((ObjectNode) heldVersion.get("samtykke")).put("formaal", "udskrivelse");
    String v2 = accepted(heldVersion);
    awaitState(v2, "HELD_CONSENT");
    discard(v2);
    // What DeliveryBookkeeping notes when an attempt under way completes after the entry moved on.
    journal.noteInCurrentState(
        v2,
        RouteIds.DELIVER,
        "written to /postbox/p3/x.xml for EAN/GLN 5790009900030 by a delivery attempt under way"
            + " while the entry moved on from VALIDATED: the recipient may hold this message",
        "/postbox/p3/x.xml");

    awaitState(accepted(version("kriseplan.json", number, 3, cpr)), "SENT");

    List<Map<String, Object>> stored = storedVersions(number);
    assertThat(stored.get(2).get("replaces_id"))
        .as("version 3 replaces")
        .isEqualTo(stored.get(1).get("id"));
  }

  // Before: version 2, held for consent, went out when the consent came, after version 3 had been
  // sent: the recipient got the older plan last and read it as the current one.
  @Test
  void anOlderVersionReleasedAfterANewerOneWasSent_isNotSent() throws IOException {
    String number = freshNumber();
    String cpr = freshCpr();
    List<String> categories = List.of("care-plans", "current-treatment", "admission-status");
    consentTo(cpr, P3_SOR, categories);
    awaitState(accepted(version("kriseplan.json", number, 1, cpr)), "SENT");
    ObjectNode heldVersion = version("kriseplan.json", number, 2, cpr);
    ((ObjectNode) heldVersion.get("samtykke")).put("formaal", "udskrivelse");
    String v2 = accepted(heldVersion);
    awaitState(v2, "HELD_CONSENT");
    awaitState(accepted(version("kriseplan.json", number, 3, cpr)), "SENT");

    // The consent version 2 waited for is recorded: its hold is released.
    SampleConsents.record(adminClient(), cpr, P3_SOR, "discharge-planning", categories);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                !List.of("HELD_CONSENT", "RECEIVED", "TRANSLATED", "VALIDATED")
                    .contains(state(v2)));

    JsonNode entry = journalEntry(v2);
    assertThat(entry.get("state").asText()).as(entry.toString()).isEqualTo("FAILED");
    assertThat(entry.get("reason").asText()).contains("version 3", "plan-version-superseded");
    assertThat(entry.get("outboxPath").isNull()).isTrue();
    // Version 2 was held when version 3 came: version 3 replaces the version recipients have.
    List<Map<String, Object>> stored = storedVersions(number);
    assertThat(stored.get(2).get("replaces_id"))
        .as("version 3 replaces")
        .isEqualTo(stored.get(0).get("id"));
  }

  // An operator's resend of version 1 after version 2 went out would put the older plan last at
  // the recipient: the plan-version guard stops it before the postbox write.
  @Test
  void aResendOfAnOlderVersionAfterANewerOneWentOut_isStopped() throws IOException {
    String number = freshNumber();
    String cpr = freshCpr();
    String v1 = accepted(version("udskrivningsaftale.json", number, 1, cpr));
    String v1Path = awaitState(v1, "SENT").get("outboxPath").asText();
    awaitState(accepted(version("udskrivningsaftale.json", number, 2, cpr)), "SENT");

    GatewayClient.Response resent =
        operatorClient()
            .post(
                "/api/v1/messages/" + v1 + "/resend",
                "application/json",
                "{\"comment\": \"no acknowledgement\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(resent.status()).as(resent.body()).isEqualTo(200);

    JsonNode entry = awaitState(v1, "FAILED");
    assertThat(entry.get("reason").asText()).contains("plan-version-superseded", "version 2");
    assertThat(entry.get("history").toString()).containsOnlyOnce("written to " + v1Path);
  }

  // Before the versions of one plan were serialised (V51 era), both read "version 1 is the newest"
  // and both were stored replacing it: two current versions at every recipient.
  @Test
  void twoVersionsAtTheSameInstant_areStoredOneAfterTheOther_asIfSentInTurn() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String number = freshNumber();
      String cpr = freshCpr();
      assertThat(post(version("udskrivningsaftale.json", number, 1, cpr)).status()).isEqualTo(202);

      List<GatewayClient.Response> answers =
          atOnce(
              version("udskrivningsaftale.json", number, 2, cpr),
              version("udskrivningsaftale.json", number, 3, cpr));

      // Either order is one the source could have sent them in: 2 then 3 (both taken, 3 replaces
      // 2), or 3 then 2 (2 refused as superseded). Never both replacing version 1.
      List<Map<String, Object>> stored = storedVersions(number);
      assertThat(stored).as("versions stored of %s: %s", number, answers).hasSizeBetween(2, 3);
      for (int i = 1; i < stored.size(); i++) {
        assertThat(stored.get(i).get("replaces_id"))
            .as("version %s of %s", stored.get(i).get("plan_version"), number)
            .isEqualTo(stored.get(i - 1).get("id"));
      }
      GatewayClient.Response v2 = answers.get(0);
      if (stored.size() == 2) {
        assertThat(v2.status()).as(v2.body()).isEqualTo(422);
        assertThat(v2.body()).contains("plan-version-superseded");
        assertThat(state(v2.json().path("id").asText("?"))).isEqualTo("FAILED");
      } else {
        assertThat(v2.status()).as(v2.body()).isEqualTo(202);
      }
      assertThat(answers.get(1).status()).as(answers.get(1).body()).isEqualTo(202);
    }
  }

  // Before: the loser broke the unique index inside intake's transaction, and was answered 500
  // with nothing journaled.
  @Test
  void theSameVersionTwiceAtTheSameInstantWithOtherContent_oneIsRefusedAndJournaled()
      throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String number = freshNumber();
      String cpr = freshCpr();
      assertThat(post(version("udskrivningsaftale.json", number, 1, cpr)).status()).isEqualTo(202);
      ObjectNode one = version("udskrivningsaftale.json", number, 2, cpr);
      ObjectNode other = version("udskrivningsaftale.json", number, 2, cpr);
      other.put("journalpostId", freshRecordId("PLAN-RULES-" + number + "-v2-other"));

      List<GatewayClient.Response> answers = atOnce(one, other);

      assertThat(answers)
          .as("%s", answers)
          .extracting(GatewayClient.Response::status)
          .containsExactlyInAnyOrder(202, 422);
      GatewayClient.Response refused =
          answers.get(0).status() == 422 ? answers.get(0) : answers.get(1);
      assertThat(refused.body()).contains("plan-version-exists");
      assertThat(state(refused.json().path("id").asText("?"))).isEqualTo("FAILED");
      List<Map<String, Object>> stored = storedVersions(number);
      assertThat(stored).hasSize(2);
      assertThat(stored.get(1).get("replaces_id")).isEqualTo(stored.get(0).get("id"));
    }
  }

  /** Posts the records from threads released together; the answers in the records' order. */
  private List<GatewayClient.Response> atOnce(ObjectNode... records) throws Exception {
    CyclicBarrier start = new CyclicBarrier(records.length);
    ExecutorService threads = Executors.newFixedThreadPool(records.length);
    try {
      List<CompletableFuture<GatewayClient.Response>> answers = new ArrayList<>();
      for (ObjectNode record : records) {
        answers.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await();
                    return post(record);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                threads));
      }
      List<GatewayClient.Response> result = new ArrayList<>();
      for (CompletableFuture<GatewayClient.Response> answer : answers) {
        result.add(answer.get());
      }
      return result;
    } finally {
      threads.shutdownNow();
    }
  }

  private List<Map<String, Object>> storedVersions(String number) {
    return sql.sql(
            "SELECT id, plan_version, replaces_id FROM plan_document"
                + " WHERE source = ? AND plan_number = ? ORDER BY plan_version")
        .params(SOURCE, number)
        .query()
        .listOfRows();
  }

  private void discard(String id) {
    GatewayClient.Response discarded =
        adminClient()
            .post(
                "/api/v1/messages/" + id + "/discard",
                "application/json",
                "{\"reason\": \"sent by phone instead\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(discarded.status()).as(discarded.body()).isEqualTo(200);
  }

  private String accepted(ObjectNode record) throws IOException {
    GatewayClient.Response answer = post(record);
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    return answer.json().get("id").asText();
  }

  private static String compositionIdentifier(String bundleJson) throws IOException {
    return JSON.readTree(bundleJson).at("/entry/0/resource/identifier/value").asText();
  }

  /** The Composition identifier the document replaces; empty when it replaces none. */
  private static String relatesTo(String bundleJson) throws IOException {
    return JSON.readTree(bundleJson)
        .at("/entry/0/resource/relatesTo/0/targetIdentifier/value")
        .asText();
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
