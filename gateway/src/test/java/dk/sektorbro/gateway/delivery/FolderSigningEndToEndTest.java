package dk.sektorbro.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dk.sektorbro.gateway.delivery.signing.CmsSigner;
import dk.sektorbro.gateway.support.GatewayClient.Response;
import dk.sektorbro.gateway.support.TestFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.w3c.dom.Document;

/**
 * The postbox path with a folder-reading hospital peer: the GP's postbox is configured for a signed
 * payload in a VANSEnvelope; the peer takes the file, checks the gateway's signature and drops a
 * signed Acknowledgement into {@code <data-dir>/inbound/}. Inbound signatures are verified: a
 * tampered or expired-certificate acknowledgement is refused with a journaled reason.
 */
class FolderSigningEndToEndTest extends SignedVansPostboxIntegrationTest {

  @Autowired JdbcClient jdbc;

  @BeforeEach
  void consents() {
    sampleConsentsOnce();
  }

  @Test
  void signedVansMessage_pickedUpFromThePostbox_signedOkAcknowledgement_isAcknowledged()
      throws Exception {
    String id = submit();
    String headerId = pickUp(id);
    dropAcknowledgement(
        CmsSigner.sign(Acks.ack(headerId, "ok").getBytes(StandardCharsets.UTF_8), HOSPITAL_KEY));
    JsonNode entry = awaitState(id, "ACKNOWLEDGED");
    assertThat(entry.get("outboxPath").asText()).endsWith(headerId + ".vans.xml");
  }

  @Test
  void signedFatalError_isRejected() throws Exception {
    String id = submit();
    dropAcknowledgement(
        CmsSigner.sign(
            Acks.ack(pickUp(id), "fatal-error").getBytes(StandardCharsets.UTF_8), HOSPITAL_KEY));
    assertThat(awaitState(id, "REJECTED").get("reason").asText()).contains("MSG_RESOURCE_REQUIRED");
  }

  @Test
  void tamperedAndExpiredAcknowledgements_areRefused_withAJournaledReason() throws Exception {
    String id = submit();
    String headerId = pickUp(id);
    byte[] signed =
        CmsSigner.sign(Acks.ack(headerId, "ok").getBytes(StandardCharsets.UTF_8), HOSPITAL_KEY);
    String text = new String(signed, StandardCharsets.ISO_8859_1);
    byte[] tampered = text.replace("\"ok\"", "\"OK\"").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(tampered).isNotEqualTo(signed);
    dropAcknowledgement(tampered);
    dropAcknowledgement(
        CmsSigner.sign(
            Acks.ack(headerId, "ok").getBytes(StandardCharsets.UTF_8), EXPIRED_HOSPITAL_KEY));
    Response unsigned =
        intakeClient()
            .post(
                "/fhir/$process-message",
                "application/fhir+json",
                Acks.ack(headerId, "ok").getBytes(StandardCharsets.UTF_8));
    assertThat(unsigned.status()).isEqualTo(400);

    await().atMost(Duration.ofSeconds(20)).until(() -> refusals().size() >= 3);
    assertThat(refusals())
        .anyMatch(r -> r.contains("tampered"))
        .anyMatch(r -> r.contains("expired"))
        .anyMatch(r -> r.contains("not CMS"));
    assertThat(journalEntry(id).get("state").asText()).isEqualTo("SENT");
  }

  private List<String> refusals() {
    return jdbc.sql(
            "SELECT reason FROM unmatched_acknowledgement WHERE reason LIKE 'signature refused%'")
        .query(String.class)
        .list();
  }

  /**
   * The hospital's VANS client: takes the envelope, checks the gateway's signature, returns the
   * MessageHeader id.
   */
  private String pickUp(String journalId) throws Exception {
    JsonNode entry = awaitState(journalId, "SENT");
    Path file = Path.of(entry.get("outboxPath").asText());
    assertThat(file.getParent()).isEqualTo(outbox(GP_GLN));
    byte[] envelope = Files.readAllBytes(file);
    Files.delete(file);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document xml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(envelope));
    assertThat(xml.getElementsByTagName("ServiceTag").item(0).getTextContent())
        .isEqualTo(CmsSigner.MIME_TYPE);
    String fhir = unwrap(envelope);
    String[] ids = Acks.ids(fhir);
    assertThat(ids[0]).isEqualTo(entry.get("messageHeaderId").asText());
    return ids[0];
  }

  private void dropAcknowledgement(byte[] content) throws IOException {
    Path inbound = Files.createDirectories(dataDir().resolve("inbound"));
    String name = "ack-" + UUID.randomUUID() + ".p7m";
    Path temp = inbound.resolve(name + ".part");
    Files.write(temp, content);
    Files.move(temp, inbound.resolve(name));
  }

  private String submit() {
    byte[] record = TestFiles.medicationQuestion("SP-SIG-" + UUID.randomUUID());
    return submitJson("nordby-socialpsykiatri", record);
  }
}
