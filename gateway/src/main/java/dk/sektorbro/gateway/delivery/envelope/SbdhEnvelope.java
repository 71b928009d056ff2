package dk.sektorbro.gateway.delivery.envelope;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import java.util.List;

/**
 * The EHMI SBDH envelope (dk-ehmi-sbdh 2.0.1): sender and receiver as {@code 0088:<GLN>}
 * (iso6523-actorid-upis), SOR ids and the message identifiers in the business scope, the message
 * base64 in a PEPPOL {@code BinaryContent}.
 */
@JacksonXmlRootElement(localName = "StandardBusinessDocument", namespace = SbdhEnvelope.SBDH)
@JsonPropertyOrder({"header", "binaryContent"})
public record SbdhEnvelope(
    @JacksonXmlProperty(localName = "StandardBusinessDocumentHeader", namespace = SBDH)
        Header header,
    @JacksonXmlProperty(localName = "BinaryContent", namespace = SbdhEnvelope.PEPPOL)
        BinaryContent binaryContent) {

  public static final String SBDH =
      "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader";
  public static final String PEPPOL = "http://peppol.eu/xsd/ticc/envelope/1.0";

  @JsonPropertyOrder({"headerVersion", "sender", "receiver", "documentIdentification", "scopes"})
  public record Header(
      @JacksonXmlProperty(localName = "HeaderVersion", namespace = SBDH) String headerVersion,
      @JacksonXmlProperty(localName = "Sender", namespace = SBDH) Partner sender,
      @JacksonXmlProperty(localName = "Receiver", namespace = SBDH) Partner receiver,
      @JacksonXmlProperty(localName = "DocumentIdentification", namespace = SBDH)
          DocumentIdentification documentIdentification,
      @JacksonXmlElementWrapper(localName = "BusinessScope", namespace = SBDH)
          @JacksonXmlProperty(localName = "Scope", namespace = SBDH)
          List<Scope> scopes) {}

  public record Partner(
      @JacksonXmlProperty(localName = "Identifier", namespace = SBDH) Identifier identifier) {}

  public record Identifier(
      @JacksonXmlProperty(isAttribute = true, localName = "Authority") String authority,
      @JacksonXmlText String value) {}

  @JsonPropertyOrder({
    "standard",
    "typeVersion",
    "instanceIdentifier",
    "type",
    "creationDateAndTime"
  })
  public record DocumentIdentification(
      @JacksonXmlProperty(localName = "Standard", namespace = SBDH) String standard,
      @JacksonXmlProperty(localName = "TypeVersion", namespace = SBDH) String typeVersion,
      @JacksonXmlProperty(localName = "InstanceIdentifier", namespace = SBDH)
          String instanceIdentifier,
      @JacksonXmlProperty(localName = "Type", namespace = SBDH) String type,
      @JacksonXmlProperty(localName = "CreationDateAndTime", namespace = SBDH)
          String creationDateAndTime) {}

  @JsonPropertyOrder({"type", "instanceIdentifier", "identifier"})
  public record Scope(
      @JacksonXmlProperty(localName = "Type", namespace = SBDH) String type,
      @JacksonXmlProperty(localName = "InstanceIdentifier", namespace = SBDH)
          String instanceIdentifier,
      @JacksonXmlProperty(localName = "Identifier", namespace = SBDH) String identifier) {}

  public record BinaryContent(
      @JacksonXmlProperty(isAttribute = true, localName = "mimeType") String mimeType,
      @JacksonXmlProperty(isAttribute = true, localName = "encoding") String encoding,
      @JacksonXmlText String value) {}
}
