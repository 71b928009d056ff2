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
 */
final class Narrative {

  // One parser per thread: HAPI's setDivAsString builds a new XhtmlParser per call, and its
  // constructor fills a table of about 2,000 HTML entities; for the ~8 narratives of a message that
  // was about 30 % of building it (issue 14).
  private static final ThreadLocal<XhtmlParser> PARSER = ThreadLocal.withInitial(XhtmlParser::new);

  private final StringBuilder html = new StringBuilder();

  private Narrative(String title, DomainResource resource) {
    html.append("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>")
        .append(escape(title))
        .append("</b> (")
        .append(escape(resource.fhirType()))
        .append('/')
        .append(escape(resource.getIdElement().getIdPart()))
        .append(")</p>");
  }

  private Narrative(String existingDiv) {
    html.append(existingDiv, 0, existingDiv.lastIndexOf("</div>"));
  }

  static Narrative of(String title, DomainResource resource) {
    return new Narrative(title, resource);
  }

  /** Continues a narrative built earlier (e.g. when a reply adds the thread's earlier segments). */
  static Narrative extend(DomainResource resource) {
    return new Narrative(resource.getText().getDivAsString());
  }

  Narrative row(String label, String value) {
    if (value != null && !value.isBlank()) {
      html.append("<p><b>")
          .append(escape(label))
          .append("</b>: ")
          .append(escape(value))
          .append("</p>");
    }
    return this;
  }

  /** Free text keeps its line breaks. */
  Narrative paragraph(String label, String text) {
    if (text != null && !text.isBlank()) {
      html.append("<p><b>")
          .append(escape(label))
          .append("</b>:</p><p>")
          .append(escape(text).replace("\n", "<br/>"))
          .append("</p>");
    }
    return this;
  }

  void applyTo(DomainResource resource) {
    resource.getText().setStatus(NarrativeStatus.GENERATED);
    resource.getText().setDiv(div(html + "</div>"));
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
}
