package dk.sektorbro.gateway.medcom;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.PrettyPrintWriterWrapper;
import ca.uhn.fhir.util.XmlUtil;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * HAPI's XML encode of a Bundle, with the narratives' XHTML written without HAPI's round trip.
 *
 * <p>For every {@code Narrative.div} HAPI 8.8's XmlParser composes the XhtmlNode to a string
 * (XhtmlComposer), parses that string again with StAX ({@code XmlUtil.parse}) and writes the parsed
 * events into its pretty-printing writer: about a third of encoding a message with its eight or so
 * narratives (issue 14). Here HAPI encodes the message with each such div left out and a marker id
 * on its {@code <text>}; the div is then written from the node tree with the calls HAPI's {@code
 * encodeXhtml} makes for the parsed events, into HAPI's own writers ({@code
 * XmlUtil.createXmlStreamWriter}, {@link PrettyPrintWriterWrapper}) at the same depth, and spliced
 * in where HAPI would have written it (the last child of {@code <text>}). Escaping and indentation
 * are therefore HAPI's own code, not a copy of it.
 *
 * <p>What makes the calls the same: the parse of the composed string gives back the tree's
 * elements, attributes (in the map's order, which the composer writes) and text (Woodstox's event
 * reader reports each text run as one event, so adjacent text nodes are merged as the parse would).
 * That holds for the nodes {@link #plain} accepts: elements and text only, attribute values without
 * characters the parse would normalise, text without characters XML cannot carry. Any other
 * narrative (comments, CDATA, prefixed names, {@code script}/{@code style}, carriage returns,
 * control characters...) is left to HAPI, in the same encode. If a marker is not where it should
 * be, the whole message is encoded by HAPI instead. {@code FhirMessageCodecTest} holds the bytes
 * equal to HAPI's for every sample and for generated hostile narratives.
 */
final class XmlNarratives {

  private static final String XHTML_NS = XhtmlNode.XMLNS;
  private static final String FHIR_NS = "http://hl7.org/fhir";
  private static final String MARKER = "sektorbro-narrative-";
  private static final String CLOSE = "</text>";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  // The composer writes these differently (raw text, an added <meta>); HAPI keeps them.
  private static final Set<String> SPECIAL = Set.of("script", "style", "head");

  private XmlNarratives() {}

  static String encode(Bundle bundle, IParser xml) {
    List<Narrative> texts = new ArrayList<>();
    List<XhtmlNode> divs = new ArrayList<>();
    String encoded;
    try {
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        if (entry.getResource() instanceof DomainResource resource && ours(resource.getText())) {
          Narrative text = resource.getText();
          text.setId(MARKER + texts.size());
          texts.add(text);
          divs.add(text.getDiv());
          text.setDiv(new XhtmlNode(NodeType.Element, "div")); // empty: HAPI writes no div
        }
      }
      encoded = xml.encodeResourceToString(bundle);
    } finally {
      for (int i = 0; i < texts.size(); i++) {
        texts.get(i).setId(null);
        texts.get(i).setDiv(divs.get(i));
      }
    }
    String spliced = texts.isEmpty() ? encoded : splice(encoded, divs);
    return spliced != null ? spliced : xml.encodeResourceToString(bundle);
  }

  /** HAPI's output with the divs put back; null if a marker is not where HAPI writes it. */
  private static String splice(String encoded, List<XhtmlNode> divs) {
    StringBuilder out = new StringBuilder(encoded.length() + 1024 * divs.size());
    Map<Integer, DivWriter> writers = new HashMap<>();
    int from = 0;
    for (int i = 0; i < divs.size(); i++) {
      String open = "<text id=\"" + MARKER + i + "\">";
      int at = encoded.indexOf(open, from);
      int close = at < 0 ? -1 : encoded.indexOf(CLOSE, at);
      int line = close < 0 ? -1 : encoded.lastIndexOf('\n', close);
      // The div is <text>'s last child: HAPI writes it right before the line of </text>, one
      // level (three spaces) deeper than that line's indentation.
      if (line <= at || !blank(encoded, line + 1, close) || (close - line - 1) % 3 != 0) {
        return null;
      }
      int depth = (close - line - 1) / 3 + 1;
      out.append(encoded, from, at).append("<text>").append(encoded, at + open.length(), line);
      try {
        out.append(writers.computeIfAbsent(depth, DivWriter::new).write(divs.get(i)));
      } catch (IllegalStateException e) {
        return null;
      }
      from = line;
    }
    return out.append(encoded, from, encoded.length()).toString();
  }

  private static boolean blank(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != ' ') {
        return false;
      }
    }
    return true;
  }

  /** A narrative whose div this class writes exactly as HAPI does (see the class comment). */
  static boolean ours(Narrative text) {
    if (text == null || text.getStatus() == null || text.hasId() || text.hasExtension()) {
      return false;
    }
    XhtmlNode div = text.getDiv();
    if (div == null || div.isEmpty() || div.getNodeType() != NodeType.Element) {
      return false;
    }
    String xmlns = div.getAttributes().get("xmlns");
    return (xmlns == null || xmlns.equals(XHTML_NS)) && plain(div, true);
  }

  private static boolean plain(XhtmlNode element, boolean root) {
    String name = element.getName();
    if (name == null
        || !NAME.matcher(name).matches()
        || SPECIAL.contains(name)
        || element.getContent() != null) {
      return false;
    }
    for (Map.Entry<String, String> attribute : element.getAttributes().entrySet()) {
      String key = attribute.getKey();
      String value = attribute.getValue();
      if (root && key.equals("xmlns")) {
        continue;
      }
      // xmlns and xml:* are namespace matters to the parse; an empty value is composed as "null";
      // tabs and line breaks in a value are normalised to spaces by the parse.
      if (key.regionMatches(true, 0, "xml", 0, 3)
          || !NAME.matcher(key).matches()
          || value == null
          || value.isEmpty()
          || !xmlChars(value, false)) {
        return false;
      }
    }
    for (XhtmlNode child : element.getChildNodes()) {
      boolean ok =
          switch (child.getNodeType()) {
            case Element -> plain(child, false);
            case Text -> child.getContent() != null && xmlChars(child.getContent(), true);
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Characters XML 1.0 carries as they are: a carriage return would come back as a line feed, C0
   * and C1 controls, lone surrogates and U+FFFE/U+FFFF fail or are discouraged.
   */
  private static boolean xmlChars(String s, boolean tabsAndLines) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\t' || c == '\n') {
        if (!tabsAndLines) {
          return false;
        }
      } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF) {
        return false;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(++i))) {
          return false;
        }
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * HAPI's writer stack (Woodstox with HAPI's escaper, under its pretty printer), brought to the
   * depth of a div by enclosing elements, so that a div written into it comes out byte for byte as
   * in HAPI's encode: the pretty printer's output for an element depends only on its depth.
   */
  private static final class DivWriter {
    private final StringWriter buffer = new StringWriter(4096);
    private final XMLStreamWriter target;
    private final XMLStreamWriter pretty;

    DivWriter(int depth) {
      try {
        target = XmlUtil.createXmlStreamWriter(buffer);
        pretty = new PrettyPrintWriterWrapper(target);
        for (int i = 0; i < depth; i++) {
          pretty.writeStartElement("x");
          if (i == 0) {
            pretty.writeDefaultNamespace(FHIR_NS);
          }
        }
        // An element of the div's depth, so that the last enclosing start tag is closed.
        pretty.writeStartElement("x");
        pretty.writeEndElement();
        target.flush();
      } catch (XMLStreamException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A line break, the indentation and the div, as HAPI's encodeXhtml writes it. */
    String write(XhtmlNode div) {
      int start = buffer.getBuffer().length();
      try {
        element(div, true);
        target.flush();
      } catch (XMLStreamException e) {
        throw new IllegalStateException(e);
      }
      return buffer.getBuffer().substring(start);
    }

    // encodeXhtml: the first element with its namespace as the default one, the others by local
    // name, attributes by local name, each run of text as one writeCharacters.
    private void element(XhtmlNode element, boolean root) throws XMLStreamException {
      pretty.writeStartElement(element.getName());
      if (root) {
        pretty.writeDefaultNamespace(XHTML_NS);
      }
      for (Map.Entry<String, String> attribute : element.getAttributes().entrySet()) {
        if (!(root && attribute.getKey().equals("xmlns"))) {
          pretty.writeAttribute(attribute.getKey(), attribute.getValue());
        }
      }
      StringBuilder text = new StringBuilder();
      for (XhtmlNode child : element.getChildNodes()) {
        if (child.getNodeType() == NodeType.Text) {
          text.append(child.getContent());
        } else {
          characters(text);
          element(child, false);
        }
      }
      characters(text);
      pretty.writeEndElement();
    }

    private void characters(StringBuilder text) throws XMLStreamException {
      if (!text.isEmpty()) {
        pretty.writeCharacters(text.toString());
        text.setLength(0);
      }
    }
  }
}
