package dk.sektorbro.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.medcom.SampleMessages;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * same acknowledgement twice; an invalid one gets fatal-error with the reason and is not handed over.
 */
class InboundMessageEndToEndTest extends GatewayIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Autowired JdbcClient jdbc;

  @Test
  void validMessage_handedOverOnce_andAcknowledgedOk_sameAckForTheDuplicate() throws IOException {
    Bundle message = hospitalMessage(0);
    EnvelopeFacts facts = EnvelopeFacts.of(message);
    byte[] xml = FHIR.newXmlParser().encodeResourceToString(message).getBytes(StandardCharsets.UTF_8);

    dropInbound(xml);
    Path handedOver = dataDir().resolve("handover").resolve(facts.receiverGln()).resolve(facts.messageHeaderId() + ".xml");
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(handedOver));
    assertThat(Files.readAllBytes(handedOver)).isEqualTo(xml);
    List<Path> acks = awaitAcks(facts.senderGln(), 1);
    Bundle ack = FHIR.newXmlParser().parseResource(Bundle.class, Files.readString(acks.get(0)));
    MessageHeader header = (MessageHeader) ack.getEntryFirstRep().getResource();
    assertThat(header.getResponse().getIdentifier()).isEqualTo(facts.messageHeaderId());
    assertThat(header.getResponse().getCode().toCode()).isEqualTo("ok");
    assertThat(header.getEventCoding().getCode()).isEqualTo("acknowledgement-message");

    dropInbound(xml);
    List<Path> both = awaitAcks(facts.senderGln(), 2);
    assertThat(Files.readString(both.get(0))).isEqualTo(Files.readString(both.get(1)));
    assertThat(jdbc.sql("SELECT duplicates FROM inbound_message WHERE message_header_id = :h")
        .param("h", facts.messageHeaderId()).query(Integer.class).single()).isEqualTo(1);
    try (Stream<Path> files = Files.list(handedOver.getParent())) {
      assertThat(files.filter(Files::isRegularFile)).hasSize(1);
    }
  }

  @Test
  void invalidMessage_overHttp_getsFatalErrorWithTheReason_andIsNotHandedOver() {
    Bundle message = hospitalMessage(1);
    ((MessageHeader) message.getEntryFirstRep().getResource()).setSource(null);
    EnvelopeFacts facts = EnvelopeFacts.of(message);
    Response response = intakeClient().post("/fhir/$process-message", "application/fhir+json",
        FHIR.newJsonParser().encodeResourceToString(message).getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).isEqualTo(200);
    Bundle ack = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    MessageHeader header = (MessageHeader) ack.getEntryFirstRep().getResource();
    assertThat(header.getResponse().getIdentifier()).isEqualTo(facts.messageHeaderId());
    assertThat(header.getResponse().getCode().toCode()).isEqualTo("fatal-error");
    OperationOutcome outcome = ack.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
        .filter(OperationOutcome.class::isInstance).map(OperationOutcome.class::cast).findFirst().orElseThrow();
    assertThat(outcome.getIssue()).anyMatch(i -> i.getDetails().getText().contains("source"));
    assertThat(dataDir().resolve("handover").resolve(facts.receiverGln()).resolve(facts.messageHeaderId() + ".json"))
        .doesNotExist();
  }

  /** A message as a hospital's system would send it (built the gateway's way, new ids). */
  private static Bundle hospitalMessage(int sample) {
    return SampleMessages.bundle(SampleMessages.record(SampleMessages.validSamples().get(sample)));
  }

  private void dropInbound(byte[] content) throws IOException {
    Path inbound = Files.createDirectories(dataDir().resolve("inbound"));
    String name = "msg-" + UUID.randomUUID() + ".xml";
    Files.write(inbound.resolve(name + ".part"), content);
    Files.move(inbound.resolve(name + ".part"), inbound.resolve(name));
  }

  private List<Path> awaitAcks(String senderGln, int count) {
    Path folder = outbox(senderGln);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.isDirectory(folder) && list(folder).size() >= count);
    return list(folder);
  }

  private static List<Path> list(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
