package dk.sektorbro.gateway.threads;

import static dk.sektorbro.gateway.support.BundleResources.first;
import static dk.sektorbro.gateway.support.BundleResources.resolve;
import static dk.sektorbro.gateway.support.BundleResources.resources;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dk.sektorbro.gateway.medcom.MedComProfiles;
import dk.sektorbro.gateway.medcom.SendScripts;
import dk.sektorbro.gateway.support.GatewayClient;
import dk.sektorbro.gateway.support.MedComIntegrationTest;
import dk.sektorbro.gateway.validation.MedComChains;
import dk.sektorbro.gateway.validation.ValidationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Replies and forwards through the real gateway: MedCom's own fixture (S-A of the send TestScripts:
 * another system's fullUrl base, a specific sender), addressed to a municipal unit served here, is
 * received on /fhir/$process-message and kept in the thread journal; a source record then replies
 * to it by its thread id, or forwards it by its MessageHeader id, through the REST intake, consent,
 * addressing, translation, validation and the postbox. The postbox file is valid against the
 * official chain and meets MedCom's reply TestScript asserts; a reply to a message the gateway has
 * never seen, or to one that is not the latest of its thread, fails with the reason in the journal.
 */
class ThreadsEndToEndTest extends MedComIntegrationTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CITIZEN =
      "0503455012"; // covered by SampleConsents for Region Nord P3
  private static final String[] HOSPITAL = {
    "990031000016002", "5790009900030", "Region Nord Psykiatri, P3"
  };
  private static final String[] MUNICIPALITY = {
    "990011000016008", "5790009900016", "Nordby Kommune, Socialpsykiatrien"
  };

  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void recordConsents() {
    sampleConsentsOnce();
  }

  @Test
  void replyByThreadId_toAReceivedMedComFixture_isSentValid_andMeetsTheReplyScript()
      throws IOException {
    Bundle received = receive();
    String thread = threadId(received);

    JsonNode entry = sendReply(Map.of("handling", "svar", "traadId", thread));

    assertThat(entry.get("state").asText()).as(entry.toString()).isEqualTo("SENT");
    Bundle sent = sentMessage(entry);
    assertThat(chainErrors(sent)).isEmpty();
    List<SendScripts.Outcome> outcomes =
        SendScripts.evaluate(
            SendScripts.script("carecommunication-send-reply-message"),
            Map.of("create-new-message-01", received, "create-reply-message-02", sent));
    assertThat(outcomes)
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.passed()).as(o.toString()).isTrue());
    assertThat(threadId(sent)).isEqualTo(thread);
    assertThat(entry.toString()).contains("reply to MessageHeader " + headerId(received));

    // The fixture is no longer the latest message of its thread: a second reply to it is refused.
    JsonNode late = sendReply(Map.of("handling", "svar", "beskedId", headerId(received)));
    assertThat(late.get("state").asText()).isEqualTo("FAILED");
    assertThat(late.toString()).contains("latest message of its thread");
  }

  @Test
  void aSecondReply_continuesTheThreadThroughTheGatewaysOwnReply_keptOnlyInItsJournalEntry()
      throws IOException {
    Bundle received = receive();
    String thread = threadId(received);
    JsonNode firstReply = sendReply(Map.of("handling", "svar", "traadId", thread));
    assertThat(firstReply.get("state").asText()).as(firstReply.toString()).isEqualTo("SENT");
    Bundle firstSent = sentMessage(firstReply);
    String firstHeader = headerId(firstSent);
    // The gateway's own reply is kept once, in its journal entry: its thread row has no text.
    assertThat(
            jdbc.sql("SELECT message FROM thread_message WHERE message_header_id = :h")
                .param("h", firstHeader)
                .query((rs, n) -> rs.getString(1) == null)
                .single())
        .isTrue();

    // The latest message of the thread is now the gateway's own reply: a second reply continues
    // the thread through it, its text read from the journal.
    JsonNode secondReply = sendReply(Map.of("handling", "svar", "traadId", thread));

    assertThat(secondReply.get("state").asText()).as(secondReply.toString()).isEqualTo("SENT");
    assertThat(secondReply.toString())
        .contains("reply to MessageHeader " + firstHeader + " (thread of 2 message(s))");
    Bundle sent = sentMessage(secondReply);
    assertThat(chainErrors(sent)).isEmpty();
    assertThat(threadId(sent)).isEqualTo(thread);
    assertThat(resources(sent, Provenance.class))
        .extracting(p -> p.getActivity().getCodingFirstRep().getCode())
        .containsExactly("new-message", "reply-message", "reply-message");
  }

  @Test
  void forwardByMessageHeaderId_startsANewThread_withTheEarlierSegments() throws IOException {
    Bundle received = receive();
    String header = headerId(received);

    JsonNode entry = sendReply(Map.of("handling", "videresend", "beskedId", header));

    assertThat(entry.get("state").asText()).as(entry.toString()).isEqualTo("SENT");
    Bundle sent = sentMessage(entry);
    assertThat(chainErrors(sent)).isEmpty();
    Communication c = first(sent, Communication.class);
    assertThat(c.getIdentifierFirstRep().getValue()).isNotEqualTo(threadId(received));
    assertThat(c.getPayload()).hasSize(2);
    assertThat(resources(sent, Provenance.class))
        .extracting(p -> p.getActivity().getCodingFirstRep().getCode())
        .containsExactly("new-message", "forward-message");
  }

  @Test
  void replyToAnUnknownMessage_failsWithTheReason() throws IOException {
    String unknown = UUID.randomUUID().toString();

    JsonNode entry = sendReply(Map.of("handling", "svar", "beskedId", unknown));

    assertThat(entry.get("state").asText()).isEqualTo("FAILED");
    assertThat(entry.toString()).contains("no CareCommunication with MessageHeader id " + unknown);
  }

  /**
   * MedCom's fixture S-A, as the hospital P3 would send it to the social psychiatry: organisations
   * and citizen changed to ones this gateway's registry and sample consents know, fresh ids. The
   * |5.0.1 profile versions are removed here because receiving them is the inbound side's part of
   * issue 13; the reply is checked for unversioned claims in MedComThreadsConformanceTest.
   */
  private Bundle receive() {
    Bundle b = SendScripts.fixture("Bundle-S-A-new");
    b.setId(UUID.randomUUID().toString());
    MessageHeader header = (MessageHeader) b.getEntryFirstRep().getResource();
    String oldHeader = header.getIdPart();
    String newHeader = UUID.randomUUID().toString();
    header.setId(newHeader);
    b.getEntryFirstRep()
        .setFullUrl(b.getEntryFirstRep().getFullUrl().replace(oldHeader, newHeader));
    resources(b, Provenance.class)
        .forEach(p -> p.getTargetFirstRep().setReference("MessageHeader/" + newHeader));
    first(b, Communication.class).getIdentifierFirstRep().setValue("urn:uuid:" + UUID.randomUUID());
    readdress((Organization) resolve(b, header.getSender().getReference()), HOSPITAL);
    readdress(
        (Organization) resolve(b, header.getDestinationFirstRep().getReceiver().getReference()),
        MUNICIPALITY);
    first(b, Patient.class).getIdentifierFirstRep().setValue(CITIZEN);
    List<Resource> all = new ArrayList<>(resources(b, Resource.class));
    all.add(b);
    for (Resource r : all) {
      List<CanonicalType> profiles =
          r.getMeta().getProfile().stream()
              .map(p -> new CanonicalType(p.getValue().replaceFirst("\\|.*$", "")))
              .toList();
      r.getMeta().setProfile(new ArrayList<>(profiles));
    }
    GatewayClient.Response response =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                FHIR.newJsonParser().encodeResourceToString(b).getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Bundle ack = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    assertThat(
            ((MessageHeader) ack.getEntryFirstRep().getResource()).getResponse().getCode().toCode())
        .as(response.body())
        .isEqualTo("ok");
    return b;
  }

  private static void readdress(Organization o, String[] org) {
    for (Identifier i : o.getIdentifier()) {
      i.setValue(MedComProfiles.SOR_SYSTEM.equals(i.getSystem()) ? org[0] : org[1]);
    }
    o.setName(org[2]);
  }

  /**
   * A journal note of the social psychiatry to the hospital P3 about the fixture's citizen,
   * continuing a thread.
   */
  private static byte[] reply(Map<String, String> thread) throws IOException {
    ObjectNode r =
        (ObjectNode)
            JSON.readTree(
                Files.readAllBytes(
                    TEST_MESSAGES.resolve("nordby-socialpsykiatri/status-efter-udskrivelse.json")));
    r.put("journalpostId", "SP-TRAAD-" + UUID.randomUUID());
    r.put("tekst", "Tak for beskeden. Vi har talt med borgeren og følger op i morgen.");
    ObjectNode traad = r.putObject("traad");
    thread.forEach(traad::put);
    return JSON.writeValueAsBytes(r);
  }

  /** Submits {@link #reply} through REST and waits until the pipeline is done with it. */
  private JsonNode sendReply(Map<String, String> thread) throws IOException {
    return awaitFinal(submitJson("nordby-socialpsykiatri", reply(thread)));
  }

  /** What the official chain finds wrong with a sent CareCommunication. */
  private static List<ValidationReport.Issue> chainErrors(Bundle sent) {
    return MedComChains.get()
        .forType("CareCommunication")
        .validate(FHIR.newJsonParser().encodeResourceToString(sent))
        .errors();
  }

  /** The thread id: the Communication's identifier. */
  private static String threadId(Bundle message) {
    return first(message, Communication.class).getIdentifierFirstRep().getValue();
  }

  /** The MessageHeader's id (the first entry). */
  private static String headerId(Bundle message) {
    return message.getEntryFirstRep().getResource().getIdPart();
  }

  private static Bundle sentMessage(JsonNode entry) throws IOException {
    String text = Files.readString(Path.of(entry.get("outboxPath").asText()));
    return (text.stripLeading().startsWith("<") ? FHIR.newXmlParser() : FHIR.newJsonParser())
        .parseResource(Bundle.class, text);
  }
}
