package dk.sektorbro.gateway.medcom;

import ca.uhn.fhir.model.primitive.XhtmlDt;
import java.io.IOException;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative.NarrativeStatus;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlDocument;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.hl7.fhir.utilities.xhtml.XhtmlParser;

/**
 * Builds the Danish XHTML narrative MedCom requires on every resource: the resource id, its
 * references and the elements flagged for the narrative. Every value is escaped.
 *
 * <p>The node tree is built directly, the tree HAPI's parser makes of the escaped markup ({@code
 * <p><b>label</b>: value</p>}, line breaks as {@code <br/>}), without writing and parsing that
 * markup: the parse was about a sixth of translating a message (issue 14). NarrativeParserReuseTest
 * holds the two equal, node by node and encoded.
 */
final class Narrative {

  // One parser per thread, for extend() and div(): HAPI's setDivAsString builds a new XhtmlParser
  // per call, and its constructor fills a table of about 2,000 HTML entities.
  private static final ThreadLocal<XhtmlParser> PARSER = ThreadLocal.withInitial(XhtmlParser::new);

  private final XhtmlNode div;

  private Narrative(String title, DomainResource resource) {
    div = new XhtmlNode(NodeType.Element, "div");
    div.setAttribute("xmlns", XhtmlNode.XMLNS);
    XhtmlNode p = element(div, "p");
    bold(p, title);
    text(
        p,
        " (" + clean(resource.fhirType()) + '/' + clean(resource.getIdElement().getIdPart()) + ")");
    closed(p);
  }

  private Narrative(XhtmlNode existing) {
    div = existing;
  }

  static Narrative of(String title, DomainResource resource) {
    return new Narrative(title, resource);
  }

  /** Continues a narrative built earlier (e.g. when a reply adds the thread's earlier segments). */
  static Narrative extend(DomainResource resource) {
    return new Narrative(div(resource.getText().getDivAsString()));
  }

  Narrative row(String label, String value) {
    if (value != null && !value.isBlank()) {
      XhtmlNode p = element(div, "p");
      bold(p, label);
      text(p, ": " + clean(value));
      closed(p);
    }
    return this;
  }

  /** Free text keeps its line breaks. */
  Narrative paragraph(String label, String text) {
    if (text != null && !text.isBlank()) {
      XhtmlNode head = element(div, "p");
      bold(head, label);
      text(head, ":");
      closed(head);
      XhtmlNode body = element(div, "p");
      String[] lines = clean(text).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          body.addTag("br").setEmptyExpanded(false);
        }
        text(body, lines[i]);
      }
      closed(body);
    }
    return this;
  }

  void applyTo(DomainResource resource) {
    resource.getText().setStatus(NarrativeStatus.GENERATED);
    resource.getText().setDiv(div);
  }

  /** The node {@code XhtmlNode.setValueAsString} makes of the text, from this thread's parser. */
  static XhtmlNode div(String xhtml) {
    try {
      XhtmlDocument document =
          PARSER.get().parse(XhtmlDt.preprocessXhtmlNamespaceDeclaration(xhtml), "div");
      for (XhtmlNode node : document.getChildNodes()) {
        if (node != null && node.getNodeType() != NodeType.Instruction) {
          return node;
        }
      }
    } catch (IOException | RuntimeException e) {
      PARSER
          .remove(); // its state after a failed parse is unknown; HAPI's own path reports the error
    }
    XhtmlNode node = new XhtmlNode();
    node.setValueAsString(xhtml);
    return node;
  }

  static String escape(String s) {
    return Xhtml.escape(s);
  }

  private static void bold(XhtmlNode p, String label) {
    XhtmlNode b = element(p, "b");
    text(b, clean(label));
    closed(b);
  }

  private static XhtmlNode element(XhtmlNode parent, String name) {
    return parent.addTag(name);
  }

  // The parser marks an element closed by an end tag as "expanded" (<p></p>, not <p/>).
  private static void closed(XhtmlNode element) {
    element.setEmptyExpanded(true);
  }

  /** A text node as the parser makes one; none for empty text. */
  private static void text(XhtmlNode parent, String text) {
    if (!text.isEmpty()) {
      parent.addText(text);
    }
  }

  /** The text escape() keeps, unescaped: what the parser reads back from the escaped markup. */
  private static String clean(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x20 && ch != '\n' && ch != '\t') {
        StringBuilder kept = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
          if (c >= 0x20 || c == '\n' || c == '\t') {
            kept.append(c);
          }
        }
        return kept.toString();
      }
    }
    return s;
  }
}
