package dk.sektorbro.gateway.testscript;

import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder;
import dk.sektorbro.gateway.inbound.AcknowledgementBuilder.AckIssue;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.support.SampleConsents;
import dk.sektorbro.gateway.validation.ChainDefinition;
import dk.sektorbro.gateway.validation.MedComChains;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.TestScript;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.junit.jupiter.api.Test;

/**
 * MedCom's own material posted to the real gateway's {@code /fhir/$process-message}, with the
 * MedCom packages loaded and the fixtures' receivers served here: all 32 CareCommunication
 * TestScript fixtures and the official CareCommunication and HospitalNotification examples are
 * answered ok; a HospitalNotification without CPR or with an unknown activity code fatal-error; the
 * official Acknowledgement examples are taken (HTTP 200) and applied to nothing. Every
 * acknowledgement the gateway answers is valid against the official Acknowledgement chain. Incoming
 * acknowledgements: validated, and applied only when they come from the organisation the message
 * was sent to.
 */
class MedComMaterialReceivingTest extends MedComIntegrationTest {

  @Test
  void all32CareCommunicationTestScriptFixtures_areAnsweredOk_withValidAcknowledgements()
      throws IOException {
    Map<String, String> answers = new TreeMap<>();
    for (Map.Entry<String, String> fixture :
        packageBundles(
                "testscripts/medcom.fhir.dk.carecommunicationtestscripts-5.0.0.tgz", "example")
            .entrySet()) {
      answers.put(fixture.getKey(), answer(fixture.getValue()));
    }

    assertThat(answers).hasSize(32);
    assertThat(answers).allSatisfy((file, code) -> assertThat(code).as(file).isEqualTo("ok"));
  }

  @Test
  void officialCareCommunicationAndHospitalNotificationExamples_areAnsweredOk() {
    List<String> examples =
        new ArrayList<>(MedComChains.get().officialExamples(ChainDefinition.CARE_COMMUNICATION));
    examples.addAll(MedComChains.get().officialExamples(ChainDefinition.HOSPITAL_NOTIFICATION));
    assertThat(examples).hasSize(20);

    assertThat(examples).allSatisfy(example -> assertThat(answer(example)).isEqualTo("ok"));
  }

  @Test
  void hospitalNotification_withoutCpr_orWithAnUnknownActivity_isAnsweredFatalError() {
    String example =
        MedComChains.get().officialExamples(ChainDefinition.HOSPITAL_NOTIFICATION).get(0);
    Bundle noCpr = fresh(example);
    resources(noCpr, Patient.class).forEach(p -> p.getIdentifier().clear());
    Bundle unknownActivity = fresh(example);
    resources(unknownActivity, Provenance.class)
        .forEach(p -> p.getActivity().getCodingFirstRep().setCode("no-such"));

    assertThat(answer(json(noCpr))).isEqualTo("fatal-error");
    // Not MedCom's acknowledgement script: repeating the received Provenance with its unknown
    // activity would make the acknowledgement invalid, so it carries only its own (docs/limits.md).
    Response response = post(json(unknownActivity));
    assertThat(response.status()).isEqualTo(200);
    Bundle ack = ackOf(response);
    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("fatal-error");
    assertThat(resources(ack, Provenance.class)).hasSize(1);
  }

  @Test
  void aMessageForAReceiverNotServedHere_isAnsweredFatalError_receiverUnknown() {
    Bundle message =
        fresh(MedComChains.get().officialExamples(ChainDefinition.HOSPITAL_NOTIFICATION).get(0));
    resources(message, Organization.class)
        .forEach(
            o ->
                o.getIdentifier().stream()
                    .filter(i -> "5790001348120".equals(i.getValue()))
                    .forEach(i -> i.setValue("5790000000005")));

    Bundle ack = ackOf(post(json(message)));

    assertThat(header(ack).getResponse().getCode().toCode()).isEqualTo("fatal-error");
    assertThat(outcome(ack).getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
        .isEqualTo("MSG_Receiver_Identifier_UNKNOWN");
  }

  @Test
  void
      officialAcknowledgementExamples_areTaken_andAppliedToNothing_theEmptyMessageTheyAnswerIsAcknowledged() {
    List<String> examples = MedComChains.get().officialExamples(ChainDefinition.ACKNOWLEDGEMENT);
    assertThat(examples).hasSize(4);
    int acks = 0;
    for (String example : examples) {
      if (example.contains("\"acknowledgement-message\"")) {
        acks++;
        Response response = post(example);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("matches no message");
      } else {
        assertThat(answer(example)).isEqualTo("ok");
      }
    }
    assertThat(acks).isEqualTo(3);
  }

  @Test
  void incomingAcknowledgements_areValidated_andApplyOnlyWhenFromTheOriginalReceiver()
      throws IOException {
    SampleConsents.recordAll(adminClient());
    String id =
        submitJson(
            "nordby-socialpsykiatri",
            withFreshId(
                Files.readAllBytes(
                    TEST_MESSAGES.resolve(
                        "nordby-socialpsykiatri/status-efter-udskrivelse.json"))));
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> "SENT".equals(journalEntry(id).get("state").asText()));
    JsonNode entry = journalEntry(id);
    Bundle sent =
        (Bundle)
            MedComReceivers.FHIR
                .newXmlParser()
                .parseResource(Files.readString(Path.of(entry.get("outboxPath").asText())));

    // Another organisation answers for the message: its acknowledgement is valid, but not the
    // receiver's.
    Bundle impostor = sent.copy();
    resources(impostor, Organization.class)
        .forEach(
            o ->
                o.getIdentifier().stream()
                    .filter(i -> i.getValue().equals(entry.get("recipient").get("gln").asText()))
                    .forEach(i -> i.setValue("5790000000005")));
    Response fromOther =
        post(
            json(
                AcknowledgementBuilder.build(
                    impostor,
                    "fatal-error",
                    List.of(AckIssue.fhir("MSG_BAD_SYNTAX", "not for you")),
                    new Date(),
                    "https://other.example/fhir")));
    assertThat(fromOther.status()).isEqualTo(200);
    assertThat(journalEntry(id).get("state").asText()).isEqualTo("SENT");

    // An acknowledgement that breaks the Acknowledgement profile is refused and applied to nothing.
    Bundle invalid =
        AcknowledgementBuilder.build(
            sent, "ok", List.of(), new Date(), "https://hospital.example/fhir");
    invalid.getEntry().removeIf(e -> e.getResource() instanceof Provenance);
    Response refused = post(json(invalid));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(journalEntry(id).get("state").asText()).isEqualTo("SENT");

    Response fromReceiver =
        post(
            json(
                AcknowledgementBuilder.build(
                    sent, "ok", List.of(), new Date(), "https://hospital.example/fhir")));
    assertThat(fromReceiver.status()).isEqualTo(200);
    assertThat(journalEntry(id).get("state").asText()).isEqualTo("ACKNOWLEDGED");
    assertThat(journalEntry(id).get("history").toString()).contains("for a message sent to GLN");
  }

  /**
   * Posts the message; returns the acknowledgement's code, after checking it against the official
   * chain and MedCom's acknowledgement TestScript for that code (the message received and the
   * gateway's acknowledgement in the places of the script's HospitalNotification and
   * acknowledgement).
   */
  private String answer(String message) {
    Response response = post(message);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Bundle ack = ackOf(response);
    ScriptResult script = ackScript(message, response.status(), ack);
    // MedCom's script wants every entity role of the acknowledgement's Provenances to be revision;
    // the received message's latest Provenance is repeated unchanged (MedCom's rule), and that of a
    // reply, forward or cancellation also names its payloads (source) or what it removes (removal).
    boolean repeatedNamesMore =
        resources(ack, Provenance.class).stream()
            .filter(p -> !"acknowledgement".equals(p.getActivity().getCodingFirstRep().getCode()))
            .flatMap(p -> p.getEntity().stream())
            .anyMatch(e -> e.getRole() != Provenance.ProvenanceEntityRole.REVISION);
    assertThat(script.failedAsserts())
        .as(script.reason())
        .isEqualTo(repeatedNamesMore ? List.of(ROLE_ASSERT) : List.of());
    assertThat(
            resources(ack, Provenance.class).stream()
                .filter(
                    p -> "acknowledgement".equals(p.getActivity().getCodingFirstRep().getCode()))
                .flatMap(p -> p.getEntity().stream())
                .map(e -> e.getRole().toCode()))
        .as("the acknowledgement's own Provenance")
        .containsExactly("revision");
    assertThat(header(ack).getResponse().getIdentifier())
        .isEqualTo(
            MedComReceivers.FHIR
                .newJsonParser()
                .parseResource(Bundle.class, message)
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .getIdPart());
    return header(ack).getResponse().getCode().toCode();
  }

  private static final Map<String, TestScript> ACK_SCRIPTS = new ConcurrentHashMap<>();

  private static final String ROLE_ASSERT =
      "Confirm that the role is set to revision. Not used when testing the first message in a stream";

  private static ScriptResult ackScript(String message, int status, Bundle ack) {
    String code = header(ack).getResponse().getCode().toCode();
    String id = "acknowledgement-send-" + code + "-hospitalnotification";
    TestScript script =
        ACK_SCRIPTS.computeIfAbsent(
            id,
            k ->
                new TestScriptLibrary(MedComChains.PACKAGES.getParent())
                    .scripts(MedComReceivers.FHIR).stream()
                        .filter(s -> s.getIdElement().getIdPart().equals(k))
                        .findFirst()
                        .orElseThrow());
    Bundle received = MedComReceivers.FHIR.newJsonParser().parseResource(Bundle.class, message);
    return new TestScriptEvaluator(MedComReceivers.FHIR, OfficialValidator::validate)
        .evaluate(
            script,
            new TestScriptEvaluator.Run(
                Map.of("create-STIN-01", received, "create-" + code + "-02", ack),
                Map.of("create-STIN-01", status)));
  }

  private Response post(String json) {
    return intakeClient()
        .post(
            "/fhir/$process-message",
            "application/fhir+json",
            json.getBytes(StandardCharsets.UTF_8));
  }

  private static Bundle ackOf(Response response) {
    assertThat(MedComReceivers.ackErrors(response.body()))
        .as("our acknowledgement against the official chain")
        .isEmpty();
    return MedComReceivers.FHIR.newJsonParser().parseResource(Bundle.class, response.body());
  }

  private static MessageHeader header(Bundle ack) {
    return (MessageHeader) ack.getEntryFirstRep().getResource();
  }

  private static OperationOutcome outcome(Bundle ack) {
    return resources(ack, OperationOutcome.class).get(0);
  }

  /**
   * The example with new Bundle.id and MessageHeader.id, so it is not a duplicate of an earlier
   * post.
   */
  private static Bundle fresh(String example) {
    Bundle bundle = MedComReceivers.FHIR.newJsonParser().parseResource(Bundle.class, example);
    String header = bundle.getEntryFirstRep().getResource().getIdElement().getIdPart();
    String renamed =
        example
            .replace(header, UUID.randomUUID().toString())
            .replace(bundle.getIdPart(), UUID.randomUUID().toString());
    return MedComReceivers.FHIR.newJsonParser().parseResource(Bundle.class, renamed);
  }

  private static String json(Bundle bundle) {
    return MedComReceivers.FHIR.newJsonParser().encodeResourceToString(bundle);
  }

  private static Map<String, String> packageBundles(String tgz, String folder) throws IOException {
    Map<String, String> bundles = new TreeMap<>();
    try (var in = Files.newInputStream(MedComChains.PACKAGES.getParent().resolve(tgz))) {
      NpmPackage npm = NpmPackage.fromPackage(in);
      for (String file : npm.list(folder)) {
        if (file.startsWith("Bundle-")) {
          try (var bundle = npm.load(folder, file)) {
            bundles.put(file, new String(bundle.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
    }
    return bundles;
  }
}
