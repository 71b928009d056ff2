package dk.sektorbro.gateway.delivery.envelope;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import java.util.List;

/**
 * The VANSEnvelope of today's VANS network: one FHIR message per envelope, base64 in
 * {@code Message/Data}, MIME in the {@code MCM:MIME} service tag, document format {@code HL7},
 * name {@code MCM:FDIS91#<category>}, version {@code 5.0}, transport type {@code reliable}
 * (MedCom 032_VANSEnvelope). The sender/receiver element names are not in the public English
 * material; these follow the EAN location numbers VANS routes by.
 */
@JacksonXmlRootElement(localName = "VANSEnvelope")
@JsonPropertyOrder({"envelopeIdentifier", "sender", "receiver", "message"})
public record VansEnvelope(
    @JacksonXmlProperty(localName = "EnvelopeIdentifier") String envelopeIdentifier,
    @JacksonXmlProperty(localName = "Sender") Party sender,
    @JacksonXmlProperty(localName = "Receiver") Party receiver,
    @JacksonXmlProperty(localName = "Message") Message message) {

  public record Party(@JacksonXmlProperty(localName = "EANIdentifier") String ean) {}

  @JsonPropertyOrder({"messageIdentifier", "metaInformation", "data"})
  public record Message(
      @JacksonXmlProperty(localName = "MessageIdentifier") String messageIdentifier,
      @JacksonXmlProperty(localName = "MetaInformation") MetaInformation metaInformation,
      @JacksonXmlProperty(localName = "Data") String data) {}

  @JsonPropertyOrder({"transport", "document"})
  public record MetaInformation(
      @JacksonXmlProperty(localName = "Transport") Transport transport,
      @JacksonXmlProperty(localName = "Document") Document document) {}

  @JsonPropertyOrder({"type", "serviceTags"})
  public record Transport(
      @JacksonXmlProperty(localName = "Type") String type,
      @JacksonXmlElementWrapper(useWrapping = false) @JacksonXmlProperty(localName = "ServiceTag")
          List<ServiceTag> serviceTags) {}

  public record ServiceTag(
      @JacksonXmlProperty(isAttribute = true, localName = "name") String name,
      @JacksonXmlText String value) {}

  @JsonPropertyOrder({"format", "name", "version"})
  public record Document(
      @JacksonXmlProperty(localName = "Format") String format,
      @JacksonXmlProperty(localName = "Name") String name,
      @JacksonXmlProperty(localName = "Version") String version) {}
}
