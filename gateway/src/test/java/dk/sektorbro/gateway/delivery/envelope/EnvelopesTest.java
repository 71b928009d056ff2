package dk.sektorbro.gateway.delivery.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sektorbro.gateway.delivery.settings.DeliveryProperties.EnvelopeKind;
import dk.sektorbro.gateway.medcom.SampleMessages;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Envelopes carry the message unchanged and say what the MessageHeader says (rule R15). */
class EnvelopesTest {

  private static final byte[] PAYLOAD =
      "<Bundle xmlns=\"http://hl7.org/fhir\"/>".getBytes(StandardCharsets.UTF_8);
  private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-20T10:30:00+01:00");

  @Test
  void facts_comeFromTheMessageHeader() {
    EnvelopeFacts facts = EnvelopeFacts.of(sampleBundle());
    assertThat(facts.eventCode()).isEqualTo("care-communication-message");
    assertThat(facts.senderGln()).matches("\\d{13}");
    assertThat(facts.receiverGln()).matches("\\d{13}");
    assertThat(facts.senderSor())
        .endsWith("100001600" + facts.senderSor().charAt(facts.senderSor().length() - 1));
    assertThat(facts.category()).isNotBlank();
    assertThat(facts.sorEdiCode()).isEqualTo("FDIS91");
  }

  @Test
  void vans_isAValidVansEnvelope104_withTheRealElementNames() throws Exception {
    EnvelopeFacts facts = EnvelopeFacts.of(sampleBundle());
    byte[] envelope =
        Envelopes.wrap(
            EnvelopeKind.VANS,
            facts,
            PAYLOAD,
            "application/fhir+xml",
            "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
            NOW);

    // The schema MedCom publishes as VANSEnvelope 1.0.4 (element names, order, types and
    // cardinalities as ../shared/medcom/messaging.md §5 transcribes them): a wrong name, a wrong
    // order or a missing required element fails here.
    SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
        .newSchema(new StreamSource(new StringReader(VANS_ENVELOPE_1_0_4_XSD)))
        .newValidator()
        .validate(new StreamSource(new ByteArrayInputStream(envelope)));

    Element root = parse(envelope).getDocumentElement();
    assertThat(root.getNamespaceURI()).isEqualTo("urn:oio:medcom:vans-envelope:1.0.4");
    assertThat(root.getLocalName()).isEqualTo("VANSEnvelope");
    assertThat(children(root))
        .containsExactly("SenderID", "ReceiverID", "EnvelopeIdentifier", "SentDateTime", "Message");
    Element sender = child(root, "SenderID");
    assertThat(sender.getAttribute("EndPointType")).isEqualTo("EAN");
    assertThat(sender.getTextContent()).isEqualTo(facts.senderGln());
    assertThat(child(root, "ReceiverID").getTextContent()).isEqualTo(facts.receiverGln());
    assertThat(child(root, "ReceiverID").getAttribute("EndPointType")).isEqualTo("EAN");
    assertThat(child(root, "EnvelopeIdentifier").getTextContent())
        .isEqualTo("6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f");
    assertThat(OffsetDateTime.parse(child(root, "SentDateTime").getTextContent())).isEqualTo(NOW);
    Element message = child(root, "Message");
    assertThat(children(message)).containsExactly("MetaInformation", "Data");
    assertThat(Base64.getDecoder().decode(child(message, "Data").getTextContent()))
        .isEqualTo(PAYLOAD);
    Element meta = child(message, "MetaInformation");
    assertThat(children(meta)).containsExactly("Identifier", "Document", "Transport");
    assertThat(child(meta, "Identifier").getTextContent()).isEqualTo(facts.messageHeaderId());
    Element document = child(meta, "Document");
    assertThat(child(document, "Format").getTextContent()).isEqualTo("HL7");
    assertThat(child(document, "Name").getTextContent())
        .isEqualTo("MCM:FDIS91#" + facts.category());
    assertThat(child(document, "Version").getTextContent()).isEqualTo("5.0");
    assertThat(child(document, "SizeInBytes").getTextContent())
        .isEqualTo(String.valueOf(PAYLOAD.length));
    Element transport = child(meta, "Transport");
    assertThat(child(transport, "Type").getTextContent()).isEqualTo("reliable");
    Element tag = child(transport, "ServiceTag");
    assertThat(tag.getAttribute("name")).isEqualTo("MCM:MIME");
    assertThat(tag.getTextContent()).isEqualTo("application/fhir+xml");
  }

  private static final String VANS_ENVELOPE_1_0_4_XSD =
      """
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:v="urn:oio:medcom:vans-envelope:1.0.4"
          targetNamespace="urn:oio:medcom:vans-envelope:1.0.4" elementFormDefault="qualified">
        <xs:element name="VANSEnvelope">
          <xs:complexType><xs:sequence>
            <xs:element name="SenderID" type="v:EndPoint"/>
            <xs:element name="ReceiverID" type="v:EndPoint"/>
            <xs:element name="EnvelopeIdentifier" type="v:Uuid"/>
            <xs:element name="SentDateTime" type="xs:dateTime"/>
            <xs:choice>
              <xs:element name="Message" type="v:Message"/>
              <xs:element name="Receipt" type="xs:anyType"/>
            </xs:choice>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:simpleType name="Uuid"><xs:restriction base="xs:string">
          <xs:pattern value="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"/>
        </xs:restriction></xs:simpleType>
        <xs:complexType name="EndPoint"><xs:simpleContent>
          <xs:extension base="v:EndPointId">
            <xs:attribute name="EndPointType" use="required"><xs:simpleType><xs:restriction base="xs:string">
              <xs:enumeration value="EAN"/><xs:enumeration value="CVR"/><xs:enumeration value="VANS"/>
            </xs:restriction></xs:simpleType></xs:attribute>
          </xs:extension>
        </xs:simpleContent></xs:complexType>
        <xs:simpleType name="EndPointId"><xs:restriction base="xs:token">
          <xs:minLength value="1"/><xs:maxLength value="18"/>
        </xs:restriction></xs:simpleType>
        <xs:complexType name="Message"><xs:sequence>
          <xs:element name="MetaInformation"><xs:complexType><xs:sequence>
            <xs:element name="Identifier" type="v:Uuid"/>
            <xs:element name="Processing" minOccurs="0"><xs:complexType><xs:sequence>
              <xs:element name="ProviderIdentifier" type="xs:string" minOccurs="0"/>
              <xs:element name="ServiceIdentifier" type="xs:string" minOccurs="0"/>
            </xs:sequence></xs:complexType></xs:element>
            <xs:element name="Document"><xs:complexType><xs:sequence>
              <xs:element name="Format"><xs:simpleType><xs:restriction base="xs:string">
                <xs:enumeration value="XML"/><xs:enumeration value="EDIFACT"/><xs:enumeration value="HL7"/>
                <xs:enumeration value="Binary"/><xs:enumeration value="Other"/>
              </xs:restriction></xs:simpleType></xs:element>
              <xs:element name="Name" type="xs:string"/>
              <xs:element name="Version" type="xs:string" minOccurs="0"/>
              <xs:element name="SizeInBytes" type="xs:int"/>
            </xs:sequence></xs:complexType></xs:element>
            <xs:element name="Transport" minOccurs="0"><xs:complexType><xs:sequence>
              <xs:element name="Type" minOccurs="0"><xs:simpleType><xs:restriction base="xs:string">
                <xs:enumeration value="reliable"/><xs:enumeration value="unreliable"/>
              </xs:restriction></xs:simpleType></xs:element>
              <xs:element name="TransformMessage" type="xs:boolean" minOccurs="0"/>
              <xs:element name="ServiceTag" minOccurs="0" maxOccurs="5"><xs:complexType><xs:simpleContent>
                <xs:extension base="xs:string"><xs:attribute name="name" type="xs:string" use="required"/></xs:extension>
              </xs:simpleContent></xs:complexType></xs:element>
            </xs:sequence></xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
          <xs:element name="Data" type="xs:base64Binary"/>
        </xs:sequence></xs:complexType>
      </xs:schema>
      """;

  private static List<String> children(Element parent) {
    List<String> names = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        assertThat(e.getNamespaceURI()).as(e.getLocalName()).isEqualTo(VansEnvelope.NS);
        names.add(e.getLocalName());
      }
    }
    return names;
  }

  private static Element child(Element parent, String name) {
    return (Element) parent.getElementsByTagNameNS(VansEnvelope.NS, name).item(0);
  }

  @Test
  void sbdh_glnAsParticipantIds_sorInBusinessScope() throws Exception {
    EnvelopeFacts facts = EnvelopeFacts.of(sampleBundle());
    Document xml =
        parse(
            Envelopes.wrap(
                EnvelopeKind.SBDH, facts, PAYLOAD, "application/fhir+xml", "env-2", NOW));
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
    assertThat(scopes)
        .contains(
            "SENDERID=" + facts.senderSor(),
            "RECEIVERID=" + facts.receiverSor(),
            "MESSAGEIDENTIFIER=" + facts.messageHeaderId(),
            "PROCESSID=urn:ehmi:sdn-emergence",
            "DOCUMENTID=" + facts.definitionUri());
    Element binary =
        (Element) root.getElementsByTagNameNS(SbdhEnvelope.PEPPOL, "BinaryContent").item(0);
    assertThat(binary.getAttribute("mimeType")).isEqualTo("application/fhir+xml");
    assertThat(Base64.getDecoder().decode(binary.getTextContent())).isEqualTo(PAYLOAD);
  }

  @Test
  void none_isThePayloadUnchanged() {
    assertThat(
            Envelopes.wrap(
                EnvelopeKind.NONE, EnvelopeFacts.of(sampleBundle()), PAYLOAD, "x", "e", NOW))
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
