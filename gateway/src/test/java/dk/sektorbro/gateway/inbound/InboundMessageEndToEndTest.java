package dk.sektorbro.gateway.inbound;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.inbound.HospitalAcks.AckWork;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Messages coming back from a hospital: a valid one is handed to the municipal system's folder and
 * acknowledged ok in the sender's postbox; the same message twice is handed over once and gets the
 * same response twice, each time in an acknowledgement of its own; an invalid one gets fatal-error
 * with the reason; one for a receiver not served here fatal-error MSG_Receiver_Identifier_UNKNOWN;
 * a legal MessageHeader id with dots is handed over under a safe name; an internal failure gets
 * transient-error with a code MedCom knows, and the resend is processed afresh. An acknowledgement
 * the sender's postbox refuses is retried by the work engine with back-off. Every acknowledgement
 * is checked against the official Acknowledgement chain.
 */
class InboundMessageEndToEndTest extends MedComIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired JdbcClient jdbc;
  @Autowired SchedulerClient engine;

  @Test
  void validMessage_handedOverOnce_andAcknowledgedOk_sameResponseInANewAckForTheDuplicate()
      throws IOException {
    Bundle message = hospitalMessage();
    EnvelopeFacts facts = EnvelopeFacts.of(message);
    byte[] xml =
        FHIR.newXmlParser().encodeResourceToString(message).getBytes(StandardCharsets.UTF_8);

    dropInbound(xml);
    Path handedOver =
        dataDir()
            .resolve("handover")
            .resolve(facts.receiverGln())
            .resolve(facts.messageHeaderId() + ".xml");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(handedOver));
    assertThat(Files.readAllBytes(handedOver)).isEqualTo(xml);
    List<Path> acks = awaitAcks(facts.senderGln(), facts.messageHeaderId(), 1);
    Bundle ack = validAck(Files.readString(acks.get(0)));
    MessageHeader header = header(ack);
    assertThat(header.getResponse().getIdentifier()).isEqualTo(facts.messageHeaderId());
    assertThat(header.getResponse().getCode().toCode()).isEqualTo("ok");
    assertThat(header.getEventCoding().getCode()).isEqualTo("acknowledgement-message");

    dropInbound(xml);
    List<Path> both = awaitAcks(facts.senderGln(), facts.messageHeaderId(), 2);
    Bundle first = validAck(Files.readString(both.get(0)));
    Bundle second = validAck(Files.readString(both.get(1)));
    assertThat(first.getIdPart()).isNotEqualTo(second.getIdPart());
    assertThat(first.getTimestamp()).isNotEqualTo(second.getTimestamp());
    assertThat(header(second).getIdPart()).isEqualTo(header(first).getIdPart());
    assertThat(header(second).getResponse().getCode())
        .isEqualTo(header(first).getResponse().getCode());
    assertThat(
            jdbc.sql("SELECT duplicates FROM inbound_message WHERE message_header_id = :h")
                .param("h", facts.messageHeaderId())
                .query(Integer.class)
                .single())
        .isEqualTo(1);
    try (Stream<Path> files = Files.list(handedOver.getParent())) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith(facts.messageHeaderId())))
          .hasSize(1);
    }
  }

  @Test
  void invalidMessage_overHttp_getsFatalErrorWithTheReason_andIsNotHandedOver() {
    Bundle message = hospitalMessage();
    ((MessageHeader) message.getEntryFirstRep().getResource()).setSource(null);
    EnvelopeFacts facts = EnvelopeFacts.of(message);

    Bundle ack = post(FHIR.newJsonParser().encodeResourceToString(message));

    assertThat(header(ack).getResponse().getIdentifier()).isEqualTo(facts.messageHeaderId());
    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("fatal-error");
    assertThat(outcome(ack).getIssue()).anyMatch(i -> i.getDetails().getText().contains("source"));
    assertThat(
            dataDir()
                .resolve("handover")
                .resolve(facts.receiverGln())
                .resolve(facts.messageHeaderId() + ".json"))
        .doesNotExist();
  }

  // FHIR lets a message name its entries by "urn:uuid:<uuid>" fullUrls. HAPI gives the parsed
  // MessageHeader that whole URN as its id, and the acknowledgement put it in response.identifier
  // (an id: no ':'): the ack failed its own validation, and the hospital got a 500 and no ack.
  @Test
  void messageWithAUrnUuidFullUrl_isAnsweredByAValidAck_namingThePlainHeaderId()
      throws IOException {
    Bundle message = hospitalMessage();
    String headerId = message.getEntryFirstRep().getResource().getIdElement().getIdPart();
    ObjectNode json =
        (ObjectNode) JSON.readTree(FHIR.newJsonParser().encodeResourceToString(message));
    ((ObjectNode) json.get("entry").get(0)).put("fullUrl", "urn:uuid:" + headerId);

    Bundle ack = post(json.toString());

    assertThat(header(ack).getResponse().getIdentifier()).isEqualTo(headerId);
    assertThat(
            jdbc.sql("SELECT count(*) FROM inbound_message WHERE message_header_id = :h")
                .param("h", headerId)
                .query(Integer.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void messageForAReceiverNotServedHere_getsFatalError_receiverUnknown_andIsNotHandedOver() {
    // Sent to the hospital's own GLN: not a receiver this municipal gateway serves.
    Bundle message =
        HospitalMessages.bundle(
            HospitalMessages.record(
                "0503455012", HospitalMessages.HOSPITAL, "psychiatry-social-disability"),
            Clock.systemUTC());

    Bundle ack = post(FHIR.newJsonParser().encodeResourceToString(message));

    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("fatal-error");
    assertThat(outcome(ack).getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
        .isEqualTo("MSG_Receiver_Identifier_UNKNOWN");
    assertThat(dataDir().resolve("handover").resolve(HospitalMessages.HOSPITAL.gln()))
        .doesNotExist();
  }

  @Test
  void
      legalMessageHeaderIdWithDots_isHandedOverUnderASafeName_andItsResendIsADuplicate_notTransient() {
    Bundle built = hospitalMessage();
    String oldId = built.getEntryFirstRep().getResource().getIdElement().getIdPart();
    String dotted =
        "ejklfdsio8klakfd.hjfkdshfjk-" + UUID.randomUUID().toString().substring(0, 8) + ".x";
    String json = FHIR.newJsonParser().encodeResourceToString(built).replace(oldId, dotted);

    Bundle ack = post(json);
    Bundle again = post(json);

    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("ok");
    assertThat(header(ack).getResponse().getIdentifier()).isEqualTo(dotted);
    assertThat(
            dataDir()
                .resolve("handover")
                .resolve(HospitalMessages.SOCIAL_PSYCHIATRY.gln())
                .resolve(dotted.replace('.', '_') + ".json"))
        .exists();
    assertThat(header(again).getResponse().getCode().toCode()).isEqualTo("ok");
  }

  @Test
  void internalFailure_getsTransientErrorWithAKnownCode_andTheResendIsProcessedAfresh()
      throws IOException {
    String json = FHIR.newJsonParser().encodeResourceToString(hospitalMessage());
    Path handover = Files.createDirectories(dataDir().resolve("handover"));
    Path aside = dataDir().resolve("handover-aside");
    Files.move(handover, aside);
    Files.writeString(handover, "not a folder");
    Bundle ack;
    try {
      ack = post(json);
    } finally {
      Files.delete(handover);
      Files.move(aside, handover);
    }
    Bundle resent = post(json);

    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("transient-error");
    assertThat(outcome(ack).getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
        .isEqualTo("MSG_Mailbox_Out_Of_Operation");
    assertThat(header(resent).getResponse().getCode().toCode()).isEqualTo("ok");
  }

  @Test
  void
      anAcknowledgementThePostboxRefuses_isRetriedByTheWorkEngineWithBackOff_andWrittenOnceItWorks()
          throws IOException {
    Bundle message = hospitalMessage();
    EnvelopeFacts facts = EnvelopeFacts.of(message);
    Path postbox = outbox(facts.senderGln());
    List<Path> before = Files.isDirectory(postbox) ? list(postbox) : List.of();
    Path aside = postbox.resolveSibling(postbox.getFileName() + ".aside");
    if (Files.exists(postbox)) {
      Files.move(postbox, aside);
    }
    Files.createDirectories(postbox.getParent());
    Files.writeString(
        postbox, "a file where the sender's postbox folder belongs: every write fails");
    try {
      dropInbound(
          FHIR.newXmlParser().encodeResourceToString(message).getBytes(StandardCharsets.UTF_8));
      ScheduledExecution<AckWork> waiting =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> ackWork(facts.messageHeaderId()),
                  work -> work != null && work.getData().attempts() == 1);
      assertThat(waiting.getData().lastError()).isNotBlank();
      // Back-off: the next attempt is gateway.delivery.retry.initial-delay (30 s) after the
      // failure.
      assertThat(waiting.getExecutionTime()).isAfter(Instant.now().plusSeconds(15));
      assertThat(
              jdbc.sql("SELECT response_code FROM inbound_message WHERE message_header_id = :h")
                  .param("h", facts.messageHeaderId())
                  .query(String.class)
                  .single())
          .isEqualTo("ok");
    } finally {
      Files.delete(postbox);
      if (Files.exists(aside)) {
        Files.move(aside, postbox);
      }
    }
    ScheduledExecution<AckWork> waiting = ackWork(facts.messageHeaderId());
    engine.reschedule(
        TaskInstanceId.of(HospitalAcks.TASK, waiting.getTaskInstance().getId()), Instant.now());

    Path written = postbox.resolve(waiting.getData().fileId() + ".xml");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.exists(written) && ackWork(facts.messageHeaderId()) == null);
    assertThat(header(validAck(Files.readString(written))).getResponse().getIdentifier())
        .isEqualTo(facts.messageHeaderId());
    assertThat(list(postbox)).hasSize(before.size() + 1);
    Files.delete(written); // the other tests count the acknowledgements in this postbox
  }

  private ScheduledExecution<AckWork> ackWork(String messageHeaderId) {
    return engine.getScheduledExecutionsForTask(HospitalAcks.TASK, AckWork.class).stream()
        .filter(e -> messageHeaderId.equals(e.getData().messageHeaderId()))
        .findFirst()
        .orElse(null);
  }

  /**
   * MedCom: senders SHALL be registered in SOR-EDI for the message type, and the acknowledgement
   * goes back to the sender's EAN. Region Nord Psykiatrien's postbox (synthetic registry) takes the
   * legacy letter only (XDIS91): a CareCommunication from it is still received and answered ok (a
   * stale registry must not refuse a valid message), but its row says the answer went to a postbox
   * not registered for FDIS91 or FCTL, and it is counted. The usual sender's row says nothing.
   */
  @Test
  void senderPostboxNotRegisteredForTheTypeNorFctl_answeredOk_theRowSaysSo_andItIsCounted() {
    Bundle message = hospitalMessage();
    String id = EnvelopeFacts.of(message).messageHeaderId();
    String json =
        FHIR.newJsonParser()
            .encodeResourceToString(message)
            .replace(HospitalMessages.HOSPITAL.sor(), "990121000016000")
            .replace(HospitalMessages.HOSPITAL.gln(), "5790009900085");
    Bundle usual = hospitalMessage();

    assertThat(header(post(json)).getResponse().getCode().toCode()).isEqualTo("ok");
    post(FHIR.newJsonParser().encodeResourceToString(usual));

    assertThat(reason(id))
        .contains(
            "the sender's postbox EAN 5790009900085 is not registered for FDIS91, FCTL in registry"
                + " snapshot ")
        .contains("answered there all the same");
    assertThat(reason(EnvelopeFacts.of(usual).messageHeaderId()))
        .doesNotContain("sender's postbox");
    assertThat(client("operator", OPERATOR_PASSWORD).get("/actuator/prometheus").body())
        .containsPattern("(?m)^gateway_inbound_sender_unregistered_total(\\{[^}]*\\})? [1-9]");
  }

  private String reason(String messageHeaderId) {
    return jdbc.sql("SELECT reason FROM inbound_message WHERE message_header_id = :h")
        .param("h", messageHeaderId)
        .query(String.class)
        .single();
  }

  /**
   * A CareCommunication as a hospital's system sends it to the social-psychiatry unit (new ids).
   */
  private static Bundle hospitalMessage() {
    return HospitalMessages.bundle(
        HospitalMessages.record(
            "1204506021", HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
        Clock.systemUTC());
  }

  private Bundle post(String json) {
    Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                json.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return validAck(response.body());
  }

  /** Our acknowledgement, checked against the official Acknowledgement 2.0.3 chain (0 errors). */
  static Bundle validAck(String text) {
    assertThat(MedComChains.get().forType(ChainDefinition.ACKNOWLEDGEMENT).validate(text).errors())
        .as("acknowledgement against the official chain")
        .isEmpty();
    return (Bundle)
        (text.stripLeading().startsWith("<") ? FHIR.newXmlParser() : FHIR.newJsonParser())
            .parseResource(text);
  }

  private static MessageHeader header(Bundle ack) {
    return (MessageHeader) ack.getEntryFirstRep().getResource();
  }

  private static OperationOutcome outcome(Bundle ack) {
    return first(ack, OperationOutcome.class);
  }

  private void dropInbound(byte[] content) throws IOException {
    Path inbound = Files.createDirectories(dataDir().resolve("inbound"));
    String name = "msg-" + UUID.randomUUID() + ".xml";
    Files.write(inbound.resolve(name + ".part"), content);
    Files.move(inbound.resolve(name + ".part"), inbound.resolve(name));
  }

  /**
   * The acknowledgements of one message in the sender's postbox: the application is shared, so the
   * postbox also holds what other tests sent to that hospital.
   */
  private List<Path> awaitAcks(String senderGln, String messageHeaderId, int count) {
    Path folder = outbox(senderGln);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.isDirectory(folder) && acks(folder, messageHeaderId).size() >= count);
    return acks(folder, messageHeaderId);
  }

  private static List<Path> acks(Path folder, String messageHeaderId) {
    return list(folder).stream()
        .filter(
            file -> {
              try {
                return Files.readString(file).contains(messageHeaderId);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .toList();
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
