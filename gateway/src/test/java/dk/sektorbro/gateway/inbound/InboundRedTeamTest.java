package dk.sektorbro.gateway.inbound;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import dk.sektorbro.gateway.delivery.envelope.EnvelopeFacts;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The receiving side against what a hospital (or a broken VANS client) may send that the gateway's
 * own builder never makes: the same message twice at the same moment, identifiers longer than the
 * journal's columns, a message no valid acknowledgement can answer, a message type the gateway has
 * no MedCom profile for, a receiver whose SOR code belongs to another organisation than its
 * location number, MedCom's empty message, endpoints that are no URL. Each is journaled once,
 * answered with a clear code (a valid acknowledgement whenever one can be made), and handed over at
 * most once.
 */
class InboundRedTeamTest extends MedComIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  @Autowired JdbcClient jdbc;

  // "seen before?" look-up, both were handed over and both journaled.
  @Test
  void theSameMessagePostedTwiceAtOnce_isHandedOverOnce_andTheSecondIsAnsweredAsADuplicate()
      throws Exception {
    for (int round = 0; round < 3; round++) {
      Bundle message = hospitalMessage();
      String json = json(message);
      String headerId = EnvelopeFacts.of(message).messageHeaderId();
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Response>> posts =
          List.of(
              CompletableFuture.supplyAsync(() -> postAfter(start, json)),
              CompletableFuture.supplyAsync(() -> postAfter(start, json)));
      start.countDown();
      List<Response> answers = posts.stream().map(CompletableFuture::join).toList();

      assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
      assertThat(answers.stream().map(r -> ackHeaderId(r.body())).distinct())
          .as("both answers carry the one acknowledgement's MessageHeader")
          .hasSize(1);
      assertThat(rows(headerId)).as("journaled once").isEqualTo(1);
      assertThat(
              jdbc.sql("SELECT duplicates FROM inbound_message WHERE message_header_id = :h")
                  .param("h", headerId)
                  .query(Integer.class)
                  .single())
          .isEqualTo(1);
    }
  }

  // ever), and a file in the inbound folder stayed there, retried for ever, never journaled.
  @Test
  void identifiersLongerThanTheJournalsColumns_areJournaledAsRefused_andTheFileIsTakenIn()
      throws IOException {
    String marker = UUID.randomUUID().toString();
    Bundle longBundleId = hospitalMessage();
    longBundleId.setId(marker.replace("-", "") + "b".repeat(40));
    Bundle longHeaderId = hospitalMessage();
    String headerId = EnvelopeFacts.of(longHeaderId).messageHeaderId();
    String longHeader = marker + "h".repeat(40);
    Bundle longSenderGln =
        changed(
            hospitalMessage(),
            b ->
                organisation(b, HospitalMessages.HOSPITAL.gln()).getIdentifier().stream()
                    .filter(i -> HospitalMessages.HOSPITAL.gln().equals(i.getValue()))
                    .forEach(i -> i.setValue("5790009900030".repeat(3))));

    for (String content :
        List.of(
            json(longBundleId),
            json(longHeaderId).replace(headerId, longHeader),
            json(longSenderGln))) {
      Path file = dropInbound(content);
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("the inbound folder takes the file in")
          .until(() -> !Files.exists(file));
    }

    for (Bundle b : List.of(longBundleId, longSenderGln)) {
      String id = EnvelopeFacts.of(b).messageHeaderId();
      assertThat(responseCode(id)).as(id).isEqualTo("fatal-error");
    }
    assertThat(
            jdbc.sql("SELECT response_code FROM inbound_message WHERE message_header_id LIKE :m")
                .param("m", marker + "%")
                .query(String.class)
                .list())
        .containsExactly("fatal-error");
  }

  // refused; its retry got the same 500 again.
  @Test
  void aRefusedMessageNoValidAcknowledgementCanAnswer_getsA422NamingTheReason_alsoWhenSentAgain() {
    Bundle noReceiver = changed(hospitalMessage(), b -> header(b).getDestination().clear());
    Bundle unresolvedSender =
        changed(
            hospitalMessage(), b -> header(b).getSender().setReference("Organization/not-here"));

    Response first = post(json(noReceiver));
    Response again = post(json(noReceiver));
    Response sender = post(json(unresolvedSender));

    for (Response r : List.of(first, again)) {
      assertThat(r.status()).as(r.body()).isEqualTo(422);
      assertThat(r.body()).contains("OperationOutcome").contains("names no receiver");
    }
    assertThat(sender.status()).as(sender.body()).isEqualTo(422);
    assertThat(sender.body()).contains("OperationOutcome").contains("sender");
    assertThat(responseCode(EnvelopeFacts.of(noReceiver).messageHeaderId()))
        .isEqualTo("fatal-error");
  }

  // handed over to the municipal system.
  @Test
  void aMessageTypeTheGatewayDoesNotReceive_isRefusedUnableToReceive_andNotHandedOver() {
    for (String event : List.of("homecareobservation-message", "x".repeat(70))) {
      Bundle message = changed(hospitalMessage(), b -> header(b).getEventCoding().setCode(event));
      EnvelopeFacts facts = EnvelopeFacts.of(message);

      Response response = post(json(message));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      Bundle ack = InboundMessageEndToEndTest.validAck(response.body());
      assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("fatal-error");
      assertThat(issueCode(ack)).isEqualTo("MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE");
      assertThat(handedOver(facts)).doesNotExist();
      assertThat(responseCode(facts.messageHeaderId())).isEqualTo("fatal-error");
    }
  }

  // message named a recipient that is not ours and was handed over to our municipal system.
  @Test
  void aReceiverWhoseSorCodeBelongsToAnotherOrganisation_isRefusedReceiverUnknown_notHandedOver() {
    Bundle message =
        changed(
            hospitalMessage(),
            b ->
                organisation(b, HospitalMessages.SOCIAL_PSYCHIATRY.gln()).getIdentifier().stream()
                    .filter(i -> HospitalMessages.SOCIAL_PSYCHIATRY.sor().equals(i.getValue()))
                    .forEach(i -> i.setValue(HospitalMessages.HOSPITAL.sor())));
    EnvelopeFacts facts = EnvelopeFacts.of(message);
    assertThat(facts.receiverGln()).isEqualTo(HospitalMessages.SOCIAL_PSYCHIATRY.gln());

    Response response = post(json(message));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Bundle ack = InboundMessageEndToEndTest.validAck(response.body());
    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("fatal-error");
    assertThat(issueCode(ack)).isEqualTo("MSG_Receiver_Identifier_UNKNOWN");
    assertThat(first(ack, OperationOutcome.class).getIssueFirstRep().getDetails().getText())
        .contains(HospitalMessages.HOSPITAL.sor());
    assertThat(handedOver(facts)).doesNotExist();
  }

  // with nothing for a case worker in the system's import folder.
  @Test
  void medComsEmptyMessage_isAcknowledgedOk_andNotHandedOverToAMunicipalSystem() {
    String example =
        MedComChains.get().officialExamples(ChainDefinition.ACKNOWLEDGEMENT).stream()
            .filter(e -> e.contains("\"empty-message\""))
            .findFirst()
            .orElseThrow();
    Bundle parsed = FHIR.newJsonParser().parseResource(Bundle.class, example);
    String headerId = parsed.getEntryFirstRep().getResource().getIdElement().getIdPart();
    String fresh = UUID.randomUUID().toString();
    String json =
        example.replace(headerId, fresh).replace(parsed.getIdPart(), UUID.randomUUID().toString());
    EnvelopeFacts facts = EnvelopeFacts.of(FHIR.newJsonParser().parseResource(Bundle.class, json));

    Response response = post(json);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Bundle ack = InboundMessageEndToEndTest.validAck(response.body());
    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("ok");
    assertThat(responseCode(fresh)).isEqualTo("ok");
    assertThat(
            jdbc.sql(
                    "SELECT handover_status IS NULL AND handover_path IS NULL FROM inbound_message"
                        + " WHERE message_header_id = :h")
                .param("h", fresh)
                .query(Boolean.class)
                .single())
        .as("nothing handed over")
        .isTrue();
    assertThat(dataDir().resolve("handover").resolve(facts.receiverGln()).resolve(fresh + ".json"))
        .doesNotExist();
  }

  // although nothing kept the gateway from answering: the organisations are fine.
  @Test
  void aMessageRefusedForAnEndpointThatIsNoUrl_getsAValidFatalErrorAcknowledgement() {
    for (Consumer<MessageHeader> change :
        List.<Consumer<MessageHeader>>of(
            h -> h.getSource().setEndpoint("not a url at all"),
            h -> h.getDestinationFirstRep().setEndpoint("not a url"))) {
      Bundle message = changed(hospitalMessage(), b -> change.accept(header(b)));

      Response response = post(json(message));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      Bundle ack = InboundMessageEndToEndTest.validAck(response.body());
      assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("fatal-error");
      assertThat(header(ack).getResponse().getIdentifier())
          .isEqualTo(EnvelopeFacts.of(message).messageHeaderId());
      assertThat(issueCode(ack)).isEqualTo("MSG_BAD_SYNTAX");
    }
  }

  private static Bundle hospitalMessage() {
    return HospitalMessages.bundle(
        HospitalMessages.record(
            "1204506021", HospitalMessages.SOCIAL_PSYCHIATRY, "psychiatry-social-disability"),
        Clock.systemUTC());
  }

  private static Bundle changed(Bundle bundle, Consumer<Bundle> change) {
    change.accept(bundle);
    return bundle;
  }

  private static Organization organisation(Bundle bundle, String gln) {
    return resources(bundle, Organization.class).stream()
        .filter(o -> o.getIdentifier().stream().anyMatch(i -> gln.equals(i.getValue())))
        .findFirst()
        .orElseThrow();
  }

  private static MessageHeader header(Bundle bundle) {
    return (MessageHeader) bundle.getEntryFirstRep().getResource();
  }

  private static String issueCode(Bundle ack) {
    return first(ack, OperationOutcome.class)
        .getIssueFirstRep()
        .getDetails()
        .getCodingFirstRep()
        .getCode();
  }

  private static String ackHeaderId(String ack) {
    return FHIR.newJsonParser()
        .parseResource(Bundle.class, ack)
        .getEntryFirstRep()
        .getResource()
        .getIdElement()
        .getIdPart();
  }

  private Path handedOver(EnvelopeFacts facts) {
    return dataDir()
        .resolve("handover")
        .resolve(facts.receiverGln())
        .resolve(facts.messageHeaderId() + ".json");
  }

  private int rows(String headerId) {
    return jdbc.sql("SELECT count(*) FROM inbound_message WHERE message_header_id = :h")
        .param("h", headerId)
        .query(Integer.class)
        .single();
  }

  private String responseCode(String headerId) {
    return jdbc.sql("SELECT response_code FROM inbound_message WHERE message_header_id = :h")
        .param("h", headerId)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private static String json(Bundle bundle) {
    return FHIR.newJsonParser().encodeResourceToString(bundle);
  }

  private Response post(String json) {
    return intakeClient()
        .post(
            "/fhir/$process-message",
            "application/fhir+json",
            json.getBytes(StandardCharsets.UTF_8));
  }

  private Response postAfter(CountDownLatch start, String json) {
    try {
      start.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return post(json);
  }

  private Path dropInbound(String content) throws IOException {
    Path inbound = Files.createDirectories(dataDir().resolve("inbound"));
    Path part = inbound.resolve("msg-" + UUID.randomUUID() + ".json.part");
    Files.writeString(part, content);
    Path file = part.resolveSibling(part.getFileName().toString().replace(".part", ""));
    Files.move(part, file);
    return file;
  }
}
