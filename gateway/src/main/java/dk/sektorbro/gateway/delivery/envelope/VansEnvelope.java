package dk.sektorbro.gateway.delivery.envelope;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlText;
import java.util.List;

/**
 * The VANSEnvelope 1.0.4 of today's VANS network (namespace {@value #NS}, every element qualified):
 * {@code SenderID} and {@code ReceiverID} with their {@code EndPointType} (EAN: the location number
 * VANS routes by), {@code EnvelopeIdentifier}, {@code SentDateTime}, then one {@code Message}:
 * {@code MetaInformation} ({@code Identifier}, {@code Document} with format {@code HL7}, name
 * {@code MCM:FDIS91#<category>}, version and size, {@code Transport} type {@code reliable} and the
 * {@code MCM:MIME} service tag) and the base64 {@code Data}. Element names and order from the 1.0.4
 * schema as ../shared/medcom/messaging.md §5 gives it.
 */
@JacksonXmlRootElement(namespace = VansEnvelope.NS, localName = "VANSEnvelope")
@JsonPropertyOrder({"senderId", "receiverId", "envelopeIdentifier", "sentDateTime", "message"})
public record VansEnvelope(
    @JacksonXmlProperty(namespace = NS, localName = "SenderID") EndPoint senderId,
    @JacksonXmlProperty(namespace = NS, localName = "ReceiverID") EndPoint receiverId,
    @JacksonXmlProperty(namespace = NS, localName = "EnvelopeIdentifier") String envelopeIdentifier,
    @JacksonXmlProperty(namespace = NS, localName = "SentDateTime") String sentDateTime,
    @JacksonXmlProperty(namespace = NS, localName = "Message") Message message) {

  public static final String NS = "urn:oio:medcom:vans-envelope:1.0.4";

  /** An end point id (xs:token, 1-18 characters) and its type: EAN, CVR or VANS. */
  public record EndPoint(
      @JacksonXmlProperty(isAttribute = true, localName = "EndPointType") String type,
      @JacksonXmlText String id) {

    public static EndPoint ean(String gln) {
      return new EndPoint("EAN", gln);
    }
  }

  @JsonPropertyOrder({"metaInformation", "data"})
  public record Message(
      @JacksonXmlProperty(namespace = NS, localName = "MetaInformation")
          MetaInformation metaInformation,
      @JacksonXmlProperty(namespace = NS, localName = "Data") String data) {}

  @JsonPropertyOrder({"identifier", "document", "transport"})
  public record MetaInformation(
      @JacksonXmlProperty(namespace = NS, localName = "Identifier") String identifier,
      @JacksonXmlProperty(namespace = NS, localName = "Document") Document document,
      @JacksonXmlProperty(namespace = NS, localName = "Transport") Transport transport) {}

  @JsonPropertyOrder({"format", "name", "version", "sizeInBytes"})
  public record Document(
      @JacksonXmlProperty(namespace = NS, localName = "Format") String format,
      @JacksonXmlProperty(namespace = NS, localName = "Name") String name,
      @JacksonXmlProperty(namespace = NS, localName = "Version") String version,
      @JacksonXmlProperty(namespace = NS, localName = "SizeInBytes") Integer sizeInBytes) {}

  @JsonPropertyOrder({"type", "serviceTags"})
  public record Transport(
      @JacksonXmlProperty(namespace = NS, localName = "Type") String type,
      @JacksonXmlElementWrapper(useWrapping = false)
          @JacksonXmlProperty(namespace = NS, localName = "ServiceTag")
          List<ServiceTag> serviceTags) {}

  public record ServiceTag(
      @JacksonXmlProperty(isAttribute = true, localName = "name") String name,
      @JacksonXmlText String value) {}
}
