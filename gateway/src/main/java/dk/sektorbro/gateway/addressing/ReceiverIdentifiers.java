package dk.sektorbro.gateway.addressing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dk.sektorbro.gateway.platform.GatewayProperties.FhirFormat;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

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
  private static final String WOODSTOX_MAX_ATTRIBUTE_SIZE = "com.ctc.wstx.maxAttributeSize";
  private static final ObjectMapper JSON = new ObjectMapper();
  // Streaming, not a DOM: the receiver is near the start, and a whole DOM of the message per
  // delivery was a visible share of the deliver stage's allocation (issue 14).
  private static final XMLInputFactory XML = xmlFactory();

  private ReceiverIdentifiers() {}

  /**
   * Empty when the first entry is no MessageHeader or its receiver is no Organization in the
   * bundle.
   */
  static Optional<List<Identifier>> of(String message, FhirFormat format) {
    try {
      return format == FhirFormat.XML ? xml(message) : json(message);
    } catch (IOException | XMLStreamException e) {
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

  private static Optional<List<Identifier>> xml(String message) throws XMLStreamException {
    XMLStreamReader r = XML.createXMLStreamReader(new StringReader(message));
    try {
      if (!nextChild(r)) {
        return Optional.empty();
      }
      String reference = null;
      boolean first = true;
      // One pass, streaming: the MessageHeader is the first entry, so its receiver reference is
      // known before the entries it may name.
      while (nextChild(r)) {
        if (!fhir(r, "entry")) {
          skip(r);
          continue;
        }
        Entry entry = entry(r, first);
        if (first) {
          reference = entry.reference;
          first = false;
        }
        if (entry.type != null && names(reference, entry.fullUrl, entry.type, entry.id)) {
          return "Organization".equals(entry.type)
              ? Optional.of(entry.identifiers)
              : Optional.empty();
        }
      }
      return Optional.empty();
    } finally {
      r.close();
    }
  }

  /** What one bundle entry tells: its fullUrl, resource type and id, receiver or identifiers. */
  private static final class Entry {
    String fullUrl;
    String type;
    String id;
    String reference;
    final List<Identifier> identifiers = new ArrayList<>();
  }

  // At an entry's start; returns at its end.
  private static Entry entry(XMLStreamReader r, boolean header) throws XMLStreamException {
    Entry entry = new Entry();
    boolean sawFullUrl = false;
    boolean sawResource = false;
    while (nextChild(r)) {
      if (!sawFullUrl && fhir(r, "fullUrl")) {
        sawFullUrl = true;
        entry.fullUrl = valueOf(r);
      } else if (!sawResource && fhir(r, "resource")) {
        sawResource = true;
        if (nextChild(r)) {
          resource(r, entry, header);
          while (nextChild(r)) {
            skip(r);
          }
        }
      } else {
        skip(r);
      }
    }
    return entry;
  }

  // At a resource's start (its type is the element's name); returns at its end.
  private static void resource(XMLStreamReader r, Entry entry, boolean header)
      throws XMLStreamException {
    entry.type = r.getLocalName();
    boolean messageHeader = header && fhir(r, "MessageHeader");
    boolean organization = "Organization".equals(entry.type);
    boolean sawId = false;
    boolean sawDestination = false;
    while (nextChild(r)) {
      if (!sawId && fhir(r, "id")) {
        sawId = true;
        entry.id = valueOf(r);
      } else if (messageHeader && !sawDestination && fhir(r, "destination")) {
        sawDestination = true;
        entry.reference = firstValue(r, "receiver", "reference");
      } else if (organization && fhir(r, "identifier")) {
        entry.identifiers.add(identifier(r));
      } else {
        skip(r);
      }
    }
  }

  // At an identifier's start; returns at its end.
  private static Identifier identifier(XMLStreamReader r) throws XMLStreamException {
    String system = null;
    String value = null;
    boolean sawSystem = false;
    boolean sawValue = false;
    while (nextChild(r)) {
      if (!sawSystem && fhir(r, "system")) {
        sawSystem = true;
        system = valueOf(r);
      } else if (!sawValue && fhir(r, "value")) {
        sawValue = true;
        value = valueOf(r);
      } else {
        skip(r);
      }
    }
    return new Identifier(system, value);
  }

  // The value of the first `outer`, then its first `inner`; returns at the current element's end.
  private static String firstValue(XMLStreamReader r, String outer, String inner)
      throws XMLStreamException {
    String value = null;
    boolean sawOuter = false;
    while (nextChild(r)) {
      if (!sawOuter && fhir(r, outer)) {
        sawOuter = true;
        boolean sawInner = false;
        while (nextChild(r)) {
          if (!sawInner && fhir(r, inner)) {
            sawInner = true;
            value = valueOf(r);
          } else {
            skip(r);
          }
        }
      } else {
        skip(r);
      }
    }
    return value;
  }

  /** To the next child element's start (true) or the current element's end (false). */
  private static boolean nextChild(XMLStreamReader r) throws XMLStreamException {
    while (r.hasNext()) {
      int event = r.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        return true;
      }
      if (event == XMLStreamConstants.END_ELEMENT || event == XMLStreamConstants.END_DOCUMENT) {
        return false;
      }
    }
    return false;
  }

  // From an element's start to its end.
  private static void skip(XMLStreamReader r) throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int event = r.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  // The element's value attribute, then to its end.
  private static String valueOf(XMLStreamReader r) throws XMLStreamException {
    String value = r.getAttributeValue(null, "value");
    skip(r);
    return value;
  }

  private static boolean fhir(XMLStreamReader r, String name) {
    return name.equals(r.getLocalName()) && FHIR_NS.equals(r.getNamespaceURI());
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

  private static XMLInputFactory xmlFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    // An attachment's base64 is one attribute value: Woodstox refuses values over 512 KB by
    // default,
    // which made a message with a legal 1 MB attachment look as if it named no receiver. The
    // record size limit (gateway.intake.max-record-size) bounds the message; HAPI lifts the same
    // limit (to 100 MB) for its own parse.
    if (factory.isPropertySupported(WOODSTOX_MAX_ATTRIBUTE_SIZE)) {
      factory.setProperty(WOODSTOX_MAX_ATTRIBUTE_SIZE, 100_000_000);
    }
    return factory;
  }
}
