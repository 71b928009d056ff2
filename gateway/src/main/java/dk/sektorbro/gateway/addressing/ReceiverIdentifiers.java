package dk.sektorbro.gateway.addressing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The identifiers (system, value) of the Organization the message's MessageHeader names as its
 * first destination's receiver, read straight from the encoded message. The delivery guard needs
 * only these, and a full HAPI parse of the message was most of the delivery stage's CPU time (issue
 * 14). References resolve as HAPI's parser resolves them inside a Bundle: the entry whose fullUrl
 * is the reference, or ends with it (relative), or whose resource type and id it names.
 */
final class ReceiverIdentifiers {

  /** One identifier of the receiver. */
  record Identifier(String system, String value) {}

  private static final String FHIR_NS = "http://hl7.org/fhir";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DocumentBuilderFactory XML = xmlFactory();

  private ReceiverIdentifiers() {}

  /**
   * Empty when the first entry is no MessageHeader or its receiver is no Organization in the
   * bundle.
   */
  static Optional<List<Identifier>> of(String message, FhirFormat format) {
    try {
      return format == FhirFormat.XML ? xml(message) : json(message);
    } catch (IOException | SAXException | ParserConfigurationException e) {
      return Optional.empty();
    }
  }

  private static Optional<List<Identifier>> json(String message) throws IOException {
    JsonNode entries = JSON.readTree(message).path("entry");
    JsonNode header = entries.path(0).path("resource");
    if (!"MessageHeader".equals(header.path("resourceType").asText())) {
      return Optional.empty();
    }
    String reference =
        header.path("destination").path(0).path("receiver").path("reference").asText(null);
    for (JsonNode entry : entries) {
      JsonNode resource = entry.path("resource");
      String type = resource.path("resourceType").asText();
      if (names(
          reference, entry.path("fullUrl").asText(null), type, resource.path("id").asText(null))) {
        if (!"Organization".equals(type)) {
          return Optional.empty();
        }
        List<Identifier> out = new ArrayList<>();
        for (JsonNode identifier : resource.path("identifier")) {
          out.add(
              new Identifier(
                  identifier.path("system").asText(null), identifier.path("value").asText(null)));
        }
        return Optional.of(out);
      }
    }
    return Optional.empty();
  }

  private static Optional<List<Identifier>> xml(String message)
      throws IOException, SAXException, ParserConfigurationException {
    DocumentBuilder builder = XML.newDocumentBuilder();
    Element bundle = builder.parse(new InputSource(new StringReader(message))).getDocumentElement();
    List<Element> entries = children(bundle, "entry");
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    Element header = child(child(entries.get(0), "resource"), "MessageHeader");
    String reference = value(child(child(child(header, "destination"), "receiver"), "reference"));
    for (Element entry : entries) {
      Element resource = firstElement(child(entry, "resource"));
      if (resource == null) {
        continue;
      }
      String type = resource.getLocalName();
      if (names(reference, value(child(entry, "fullUrl")), type, value(child(resource, "id")))) {
        if (!"Organization".equals(type)) {
          return Optional.empty();
        }
        List<Identifier> out = new ArrayList<>();
        for (Element identifier : children(resource, "identifier")) {
          out.add(
              new Identifier(
                  value(child(identifier, "system")), value(child(identifier, "value"))));
        }
        return Optional.of(out);
      }
    }
    return Optional.empty();
  }

  private static boolean names(String reference, String fullUrl, String type, String id) {
    if (reference == null || reference.isEmpty()) {
      return false;
    }
    if (fullUrl != null
        && (fullUrl.equals(reference)
            || (!reference.contains(":") && fullUrl.endsWith("/" + reference)))) {
      return true;
    }
    return id != null && reference.equals(type + "/" + id);
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e
          && FHIR_NS.equals(e.getNamespaceURI())
          && name.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  private static Element child(Element parent, String name) {
    List<Element> all = children(parent, name);
    return all.isEmpty() ? null : all.get(0);
  }

  private static Element firstElement(Element parent) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    return null;
  }

  private static String value(Element element) {
    return element == null || !element.hasAttribute("value") ? null : element.getAttribute("value");
  }

  private static DocumentBuilderFactory xmlFactory() {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    try {
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
    factory.setExpandEntityReferences(false);
    return factory;
  }
}
