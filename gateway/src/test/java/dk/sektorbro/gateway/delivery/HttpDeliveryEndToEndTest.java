package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.delivery.HttpHospitalPeer.Mode;
import dk.sektorbro.gateway.delivery.HttpHospitalPeer.Received;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Delivery over HTTP to a test hospital peer that answers ok, fatal-error, transient-error, a
 * duplicate, nothing, or is down: each message ends in the state the MedCom rules give, with the
 * resends and ids they prescribe. Short timeouts (ack 6 s: an OK answer on a loaded CI machine can
 * take seconds to correlate) instead of long sleeps.
 */
// Own properties (HTTP delivery to a peer of its own): no other class shares this application;
// closed after the class.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HttpDeliveryEndToEndTest extends GatewayIntegrationTest {

  private static final HttpHospitalPeer PEER = startPeer();

  @Autowired JdbcClient jdbc;
  @Autowired DeliverySchedule schedule;

  @DynamicPropertySource
  static void delivery(DynamicPropertyRegistry registry) {
    registry.add("gateway.delivery.default-route.transport", () -> "HTTP");
    registry.add("gateway.delivery.default-route.url", PEER::url);
    registry.add("gateway.delivery.ack.timeout", () -> "6s");
    registry.add("gateway.delivery.ack.max-resends", () -> "2");
    registry.add("gateway.delivery.ack.transient-resend-delay", () -> "300ms");
    registry.add("gateway.delivery.retry.initial-delay", () -> "200ms");
    registry.add("gateway.delivery.retry.max-delay", () -> "500ms");
    registry.add("gateway.delivery.schedule-poll", () -> "100ms");
    registry.add("gateway.delivery.failing-after", () -> "2");
  }

  @AfterAll
  static void stopPeer() {
    PEER.close();
  }

  @BeforeEach
  void consents() {
    sampleConsentsOnce();
  }

  @Test
  void ok_isAcknowledged_afterOneSend() {
    PEER.mode(Mode.OK);
    JsonNode entry = awaitState(submit(), "ACKNOWLEDGED");
    assertThat(PEER.receivedFor(header(entry))).hasSize(1);
    assertThat(PEER.receivedFor(header(entry)).get(0).contentType())
        .isEqualTo("application/fhir+xml");
    assertThat(states(entry)).containsSubsequence("VALIDATED", "SENT", "ACKNOWLEDGED");
  }

  @Test
  void fatalError_isRejected_withTheOperationOutcome() {
    PEER.mode(Mode.FATAL);
    JsonNode entry = awaitState(submit(), "REJECTED");
    assertThat(entry.get("reason").asText())
        .contains("fatal-error")
        .contains("MSG_RESOURCE_REQUIRED");
    assertThat(entry.get("history").toString()).contains("OperationOutcome");
    assertThat(PEER.receivedFor(header(entry))).hasSize(1);
  }

  @Test
  void noAcknowledgement_isResentTwice_withNewBundleIds_thenFailed() {
    PEER.mode(Mode.NOTHING);
    String id = submit();
    // Each acknowledgement deadline is made due as soon as it is set: what a deadline does (a
    // resend under a new Bundle id, FAILED after the last) is the same, and this test no longer
    // waits out three of them (18 s of the class's 25).
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              ackDeadlineDueNow(id);
              return "FAILED".equals(state(id));
            });
    JsonNode entry = awaitState(id, "FAILED", Duration.ofSeconds(60));
    assertThat(entry.get("reason").asText()).contains("no acknowledgement");
    List<Received> copies = PEER.receivedFor(header(entry));
    assertThat(copies).hasSize(3);
    assertThat(copies.stream().map(Received::bundleId).distinct()).hasSize(3);
    assertThat(entry.get("bundleId").asText()).isEqualTo(copies.get(2).bundleId());
    assertThat(entry.get("history").toString()).contains("resend 1 of 2").contains("resend 2 of 2");
  }

  @Test
  void transientError_isResent_andThenAcknowledged() {
    PEER.mode(Mode.TRANSIENT);
    String id = submit();
    await().atMost(Duration.ofSeconds(20)).until(() -> historyText(id).contains("transient-error"));
    PEER.mode(Mode.OK);
    JsonNode entry = awaitState(id, "ACKNOWLEDGED");
    List<Received> copies = PEER.receivedFor(header(entry));
    assertThat(copies).hasSizeBetween(2, 3);
    assertThat(copies.get(0).bundleId()).isNotEqualTo(copies.get(1).bundleId());
    assertThat(entry.get("history").toString()).contains("resend 1 of 2");
  }

  @Test
  void duplicateAndUnknownAcknowledgements_areJournaled_andChangeNothing() {
    PEER.mode(Mode.OK);
    JsonNode entry = awaitState(submit(), "ACKNOWLEDGED");
    String ack = Acks.ack(header(entry), "ok");
    Response duplicate =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                ack.getBytes(StandardCharsets.UTF_8));
    assertThat(duplicate.status()).isEqualTo(200);
    assertThat(duplicate.body()).contains("duplicate");
    String unknownHeader = UUID.randomUUID().toString();
    Response unknown =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                Acks.ack(unknownHeader, "ok").getBytes(StandardCharsets.UTF_8));
    assertThat(unknown.status()).isEqualTo(200);
    Response garbage =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                "{\"resourceType\": \"Patient\"".getBytes(StandardCharsets.UTF_8));
    assertThat(garbage.status()).isEqualTo(400);
    assertThat(
            client("operator", OPERATOR_PASSWORD)
                .post(
                    "/fhir/$process-message",
                    "application/fhir+json",
                    ack.getBytes(StandardCharsets.UTF_8))
                .status())
        .isEqualTo(403);

    JsonNode after = operatorClient().get("/api/v1/messages/" + entry.get("id").asText()).json();
    assertThat(after.get("state").asText()).isEqualTo("ACKNOWLEDGED");
    assertThat(after.get("history").toString()).contains("duplicate acknowledgement");
    assertThat(
            jdbc.sql("SELECT reason FROM unmatched_acknowledgement WHERE response_identifier = :r")
                .param("r", unknownHeader)
                .query(String.class)
                .single())
        .contains("no sent message");
    assertThat(adminClient().get("/api/v1/acknowledgements/unmatched").body())
        .contains(unknownHeader)
        .contains("duplicate acknowledgement");
    assertThat(adminClient().get("/api/v1/acknowledgements/unmatched").json().get(0).fieldNames())
        .toIterable()
        .containsExactly(
            "id",
            "received_at",
            "channel",
            "response_identifier",
            "response_code",
            "entry_id",
            "reason");
    assertThat(
            client("operator", OPERATOR_PASSWORD)
                .get("/api/v1/acknowledgements/unmatched")
                .status())
        .isEqualTo(403);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM unmatched_acknowledgement WHERE entry_id = :e")
                .param("e", entry.get("id").asText())
                .query(Long.class)
                .single())
        .isEqualTo(1L);
  }

  /**
   * The recipient acknowledges on another channel (its own call to our $process-message) before it
   * answers the send: the entry is still VALIDATED then, its SENT commit to follow. The
   * acknowledgement was ignored ("for a message in state VALIDATED") and the message resent at the
   * deadline; now it applies, and the history still says where the message went.
   */
  @Test
  void okOnAnotherChannel_beforeTheSendIsRecorded_isApplied_withoutAResend() {
    List<Integer> answers = new CopyOnWriteArrayList<>();
    PEER.elsewhere(
        ack ->
            answers.add(
                intakeClient()
                    .post(
                        "/fhir/$process-message",
                        "application/fhir+json",
                        ack.getBytes(StandardCharsets.UTF_8))
                    .status()));
    PEER.mode(Mode.OK_ELSEWHERE_FIRST);
    String id = submit();
    JsonNode acknowledged = awaitState(id, "ACKNOWLEDGED");
    // The attempt's own record of the send follows the peer's answer.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> historyText(id).contains("the recipient may hold this message"));
    JsonNode entry = journalEntry(id);
    assertThat(acknowledged.get("state").asText()).isEqualTo("ACKNOWLEDGED");
    assertThat(entry.get("state").asText()).isEqualTo("ACKNOWLEDGED");
    assertThat(answers).containsExactly(200);
    assertThat(PEER.receivedFor(header(entry))).hasSize(1);
    assertThat(entry.get("history").toString())
        .contains("before the delivery attempt under way had recorded the send")
        .doesNotContain("resend");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM unmatched_acknowledgement WHERE entry_id = :e")
                .param("e", id)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void peerDownForAWhile_messagesQueue_thenAllDeliveredOnce() {
    PEER.mode(Mode.DOWN);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(submit());
    }
    ids.forEach(id -> awaitState(id, "RETRYING"));
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        operatorClient()
                            .get("/actuator/health")
                            .json()
                            .get("components")
                            .get("delivery")
                            .get("details")
                            .get("failingRecipients")
                            .has("5790009900054"))
                    .isTrue());
    JsonNode failing =
        operatorClient()
            .get("/actuator/health")
            .json()
            .at("/components/delivery/details/failingRecipients/5790009900054");
    List<String> fields = new ArrayList<>();
    failing.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("consecutiveFailures", "lastError", "nextAttempt", "queued");
    assertThat(failing.get("queued").asInt()).isPositive();
    JsonNode retrying =
        operatorClient().get("/api/v1/dashboard").json().at("/retryingRecipients/5790009900054");
    List<String> shown = new ArrayList<>();
    retrying.fieldNames().forEachRemaining(shown::add);
    assertThat(shown).containsExactly("consecutiveFailures", "lastError", "nextAttempt", "queued");
    assertThat(adminClient().get("/actuator/prometheus").body())
        .contains("gateway_delivery_failing_recipients")
        .contains("gateway_delivery_queued");

    PEER.mode(Mode.OK);
    for (String id : ids) {
      JsonNode entry = awaitState(id, "ACKNOWLEDGED");
      List<Received> copies = PEER.receivedFor(header(entry));
      assertThat(copies.stream().filter(r -> r.answered() == Mode.OK)).hasSize(1);
      assertThat(copies.stream().filter(r -> r.answered() == Mode.DOWN)).isNotEmpty();
      assertThat(copies.get(copies.size() - 1).answered()).isEqualTo(Mode.OK);
      assertThat(entry.get("history").toString()).contains("transport failed (attempt 1: ");
    }
    assertThat(
            operatorClient()
                .get("/actuator/health")
                .json()
                .get("components")
                .get("delivery")
                .get("details")
                .get("failingRecipients")
                .size())
        .isZero();
  }

  private String submit() {
    byte[] record = TestFiles.medicationQuestion("SP-DLV-" + UUID.randomUUID());
    return submitJson("nordby-socialpsykiatri", record);
  }

  /**
   * The message's acknowledgement deadline, when one is waiting (not being run), is due now: the
   * work engine (polling every 100 ms here) runs it at once.
   */
  private void ackDeadlineDueNow(String id) {
    boolean awaitingAck =
        schedule
            .find(id)
            .filter(due -> due.work().purpose() == DeliveryWork.Purpose.ACK_DEADLINE)
            .isPresent();
    if (awaitingAck) {
      jdbc.sql(
              "UPDATE scheduled_tasks SET execution_time = now() WHERE task_name = :task"
                  + " AND task_instance = :id AND NOT picked AND execution_time > now()")
          .param("task", DeliverySchedule.TASK)
          .param("id", id)
          .update();
    }
  }

  private String historyText(String id) {
    return journalEntry(id).get("history").toString();
  }

  private static String header(JsonNode entry) {
    return entry.get("messageHeaderId").asText();
  }

  private static List<String> states(JsonNode entry) {
    List<String> states = new ArrayList<>();
    entry.get("history").forEach(h -> states.add(h.get("state").asText()));
    return states;
  }

  private static HttpHospitalPeer startPeer() {
    try {
      return new HttpHospitalPeer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
