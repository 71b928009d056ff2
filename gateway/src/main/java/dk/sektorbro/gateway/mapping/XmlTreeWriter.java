package dk.sektorbro.gateway.mapping;

import java.io.ByteArrayOutputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds an XML document from simple paths: {@code /besked/borger/cpr} (element text), {@code
 * /besked/@id} (attribute); inside a repeated element {@code @titel}, {@code navn} or {@code .}
 * (its own text). Elements are created in the order the rules are written; an existing element of
 * the same name is reused, except for a repeated one.
 */
final class XmlTreeWriter implements ReverseMapper.TreeWriter {

  private static final String NAME = "[A-Za-z_][A-Za-z0-9_.-]*";

  private final Document document;

  XmlTreeWriter() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      this.document = factory.newDocumentBuilder().newDocument();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("no XML support", e);
    }
  }

  /**
   * Absolute paths for fields and repeated elements; relative ones (or ".") inside a repeated
   * element.
   */
  static boolean isValidPath(String path, boolean absolute) {
    if (!absolute && ".".equals(path)) {
      return true;
    }
    String steps = NAME + "(/" + NAME + ")*";
    String pattern =
        absolute
            ? "/" + steps + "(/@" + NAME + ")?"
            : "(" + steps + "(/@" + NAME + ")?|@" + NAME + ")";
    return path.matches(pattern);
  }

  @Override
  public void set(Object context, String path, String value) {
    Element node = context == null ? null : (Element) context;
    String[] steps = (path.startsWith("/") ? path.substring(1) : path).split("/");
    for (int i = 0; i < steps.length - 1; i++) {
      node = child(node, steps[i]);
    }
    String last = steps[steps.length - 1];
    if (last.startsWith("@")) {
      node.setAttribute(last.substring(1), value);
    } else if (".".equals(last)) {
      node.setTextContent(value);
    } else {
      child(node, last).setTextContent(value);
    }
  }

  @Override
  public Object addRepeated(String path) {
    String[] steps = path.substring(1).split("/");
    Element parent = null;
    for (int i = 0; i < steps.length - 1; i++) {
      parent = child(parent, steps[i]);
    }
    Element element = document.createElement(steps[steps.length - 1]);
    (parent == null ? document : parent).appendChild(element);
    return element;
  }

  @Override
  public byte[] bytes() {
    try {
      TransformerFactory factory = TransformerFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      Transformer transformer = factory.newTransformer();
      transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
      transformer.setOutputProperty(OutputKeys.INDENT, "yes");
      transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      document.setXmlStandalone(true);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      transformer.transform(new DOMSource(document), new StreamResult(out));
      return out.toByteArray();
    } catch (TransformerException e) {
      throw new IllegalStateException("XML cannot be written", e);
    }
  }

  // The document has one root: the first step of the first path creates it, later paths must agree.
  private Element child(Element parent, String name) {
    Node scope = parent == null ? document : parent;
    for (Node n = scope.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    if (parent == null && document.getDocumentElement() != null) {
      throw new ReverseMapper.ReverseMappingException(
          "reverse paths name two root elements: "
              + document.getDocumentElement().getTagName()
              + " and "
              + name);
    }
    Element created = document.createElement(name);
    scope.appendChild(created);
    return created;
  }
}
