package dk.sektorbro.gateway.mapping;

import java.util.ArrayList;
import java.util.List;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** XML record node; paths are XPath 1.0 relative to this node (namespaces are ignored). */
final class XmlSourceNode implements SourceNode {

  // XPath objects are not thread-safe; one per worker thread is cheap.
  private static final ThreadLocal<XPath> XPATH =
      ThreadLocal.withInitial(() -> XPathFactory.newInstance().newXPath());

  private final Node node;

  XmlSourceNode(Node node) {
    this.node = node;
  }

  @Override
  public List<String> texts(String path) {
    List<String> texts = new ArrayList<>();
    for (Node selected : select(path)) {
      String text = selected.getTextContent();
      if (text != null) {
        texts.add(text);
      }
    }
    return texts;
  }

  @Override
  public List<SourceNode> nodes(String path) {
    return select(path).stream().<SourceNode>map(XmlSourceNode::new).toList();
  }

  private List<Node> select(String path) {
    try {
      NodeList list = (NodeList) XPATH.get().evaluate(path, node, XPathConstants.NODESET);
      List<Node> nodes = new ArrayList<>(list.getLength());
      for (int i = 0; i < list.getLength(); i++) {
        nodes.add(list.item(i));
      }
      return nodes;
    } catch (XPathExpressionException e) {
      // Paths are compiled when the mapping loads, so this is a mapping defect, not bad input.
      throw new IllegalStateException("XPath cannot be evaluated: " + path, e);
    }
  }

  /** Syntax check used when a mapping file is loaded. */
  static boolean isValidPath(String path) {
    try {
      XPATH.get().compile(path);
      return true;
    } catch (XPathExpressionException e) {
      return false;
    }
  }
}
