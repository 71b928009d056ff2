package dk.sektorbro.gateway.delivery.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.delivery.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.medcom.SampleMessages;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Envelopes carry the message unchanged and say what the MessageHeader says (rule R15). */
class EnvelopesTest {

  private static final byte[] PAYLOAD = "<Bundle xmlns=\"http://hl7.org/fhir\"/>".getBytes(StandardCharsets.UTF_8);
  private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-20T10:30:00+01:00");

  @Test
  void facts_comeFromTheMessageHeader() {
    EnvelopeFacts facts = EnvelopeFacts.of(sampleBundle());
    assertThat(facts.eventCode()).isEqualTo("care-communication-message");
    assertThat(facts.senderGln()).matches("\\d{13}");
    assertThat(facts.receiverGln()).matches("\\d{13}");
    assertThat(facts.senderSor()).endsWith("100001600" + facts.senderSor().charAt(facts.senderSor().length() - 1));
    assertThat(facts.category()).isNotBlank();
    assertThat(facts.sorEdiCode()).isEqualTo("FDIS91");
  }

  @Test
  void vans_oneMessage_base64Data_mimeFormatNameVersion() throws Exception {
    EnvelopeFacts facts = EnvelopeFacts.of(sampleBundle());
    Document xml = parse(Envelopes.wrap(EnvelopeKind.VANS, facts, PAYLOAD, "application/fhir+xml", "env-1", NOW));
    Element root = xml.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("VANSEnvelope");
    assertThat(text(root, "EnvelopeIdentifier")).isEqualTo("env-1");
    assertThat(text(root, "MessageIdentifier")).isEqualTo(facts.messageHeaderId());
    assertThat(Base64.getDecoder().decode(text(root, "Data"))).isEqualTo(PAYLOAD);
    Element tag = (Element) root.getElementsByTagName("ServiceTag").item(0);
    assertThat(tag.getAttribute("name")).isEqualTo("MCM:MIME");
    assertThat(tag.getTextContent()).isEqualTo("application/fhir+xml");
    assertThat(text(root, "Format")).isEqualTo("HL7");
    assertThat(text(root, "Name")).isEqualTo("MCM:FDIS91#" + facts.category());
    assertThat(text(root, "Version")).isEqualTo("5.0");
    assertThat(text(root, "Type")).isEqualTo("reliable");
    assertThat(texts(root, "EANIdentifier")).containsExactly(facts.senderGln(), facts.receiverGln());
  }

  @Test
  void sbdh_glnAsParticipantIds_sorInBusinessScope() throws Exception {
    EnvelopeFacts facts = EnvelopeFacts.of(sampleBundle());
    Document xml = parse(Envelopes.wrap(EnvelopeKind.SBDH, facts, PAYLOAD, "application/fhir+xml", "env-2", NOW));
    Element root = xml.getDocumentElement();
    assertThat(root.getNamespaceURI()).isEqualTo(SbdhEnvelope.SBDH);
    NodeList identifiers = root.getElementsByTagNameNS(SbdhEnvelope.SBDH, "Identifier");
    Element sender = (Element) identifiers.item(0);
    assertThat(sender.getAttribute("Authority")).isEqualTo("iso6523-actorid-upis");
    assertThat(sender.getTextContent()).isEqualTo("0088:" + facts.senderGln());
    assertThat(identifiers.item(1).getTextContent()).isEqualTo("0088:" + facts.receiverGln());
    List<String> scopes = new ArrayList<>();
    NodeList scopeNodes = root.getElementsByTagNameNS(SbdhEnvelope.SBDH, "Scope");
    for (int i = 0; i < scopeNodes.getLength(); i++) {
      Element scope = (Element) scopeNodes.item(i);
      scopes.add(textNs(scope, "Type") + "=" + textNs(scope, "InstanceIdentifier"));
    }
    assertThat(scopes).contains("SENDERID=" + facts.senderSor(), "RECEIVERID=" + facts.receiverSor(),
        "MESSAGEIDENTIFIER=" + facts.messageHeaderId(), "PROCESSID=urn:ehmi:sdn-emergence",
        "DOCUMENTID=" + facts.definitionUri());
    Element binary = (Element) root.getElementsByTagNameNS(SbdhEnvelope.PEPPOL, "BinaryContent").item(0);
    assertThat(binary.getAttribute("mimeType")).isEqualTo("application/fhir+xml");
    assertThat(Base64.getDecoder().decode(binary.getTextContent())).isEqualTo(PAYLOAD);
  }

  @Test
  void none_isThePayloadUnchanged() {
    assertThat(Envelopes.wrap(EnvelopeKind.NONE, EnvelopeFacts.of(sampleBundle()), PAYLOAD, "x", "e", NOW))
        .isSameAs(PAYLOAD);
  }

  private static Bundle sampleBundle() {
    return SampleMessages.bundle(SampleMessages.record(SampleMessages.validSamples().get(0)));
  }

  private static Document parse(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
  }

  private static String text(Element root, String name) {
    return root.getElementsByTagName(name).item(0).getTextContent();
  }

  private static String textNs(Element root, String name) {
    return root.getElementsByTagNameNS(SbdhEnvelope.SBDH, name).item(0).getTextContent();
  }

  private static List<String> texts(Element root, String name) {
    List<String> values = new ArrayList<>();
    NodeList nodes = root.getElementsByTagName(name);
    for (int i = 0; i < nodes.getLength(); i++) {
      values.add(nodes.item(i).getTextContent());
    }
    return values;
  }
}
