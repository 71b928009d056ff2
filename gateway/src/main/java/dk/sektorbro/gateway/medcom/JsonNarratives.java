package dk.sektorbro.gateway.medcom;

import ca.uhn.fhir.model.primitive.XhtmlDt;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * HAPI's JSON encode of a Bundle, with each narrative's markup composed here.
 *
 * <p>HAPI's JsonParser writes {@code Narrative.div} as the string {@code
 * XhtmlNode.getValueAsString} makes: the node composed by {@code XhtmlComposer} (a char-by-char
 * write to a synchronised StringWriter), about a quarter of encoding a message (issue 14). For the
 * encode, each div is swapped for a node that returns the same string composed here, from runs of
 * characters between the ones the composer escapes, and put back afterwards. The rules are
 * XhtmlComposer's in XML mode (utilities 6.7.9): {@code <name attrs/>} for an element without
 * children, else {@code <name attrs>children</name>}; {@code " key=\"value\""} with {@code & < > "}
 * escaped and an empty value written as {@code null}; in text {@code & < > "} escaped and a
 * character above U+FFFF as {@code &#xHEX;}; then HAPI's {@code
 * preprocessXhtmlNamespaceDeclaration}. A div with anything else (comments, CDATA, an element with
 * content of its own, head/script/style, which the composer treats apart) is left to HAPI. {@code
 * FhirMessageCodecTest} holds the bytes equal to HAPI's.
 */
final class JsonNarratives {

  private static final Set<String> SPECIAL = Set.of("script", "style", "head");

  private JsonNarratives() {}

  static String encode(Bundle bundle, IParser json) {
    List<Narrative> texts = new ArrayList<>();
    List<XhtmlNode> divs = new ArrayList<>();
    try {
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        if (entry.getResource() instanceof DomainResource resource && resource.hasText()) {
          XhtmlNode div = resource.getText().getDiv();
          if (!div.isEmpty() && composable(div)) {
            texts.add(resource.getText());
            divs.add(div);
            resource.getText().setDiv(new Composed(compose(div)));
          }
        }
      }
      return json.encodeResourceToString(bundle);
    } finally {
      for (int i = 0; i < texts.size(); i++) {
        texts.get(i).setDiv(divs.get(i));
      }
    }
  }

  /** The string {@code div.getValueAsString()} returns, for a {@link #composable} div. */
  static String compose(XhtmlNode div) {
    StringBuilder out = new StringBuilder(1024);
    element(div, out);
    return XhtmlDt.preprocessXhtmlNamespaceDeclaration(out.toString());
  }

  static boolean composable(XhtmlNode node) {
    return switch (node.getNodeType()) {
      case Text -> node.getContent() != null;
      case Element ->
          node.getName() != null
              && !SPECIAL.contains(node.getName())
              && node.getContent() == null
              && node.getChildNodes().stream().allMatch(JsonNarratives::composable);
      default -> false;
    };
  }

  private static void element(XhtmlNode element, StringBuilder out) {
    out.append('<').append(element.getName());
    for (Map.Entry<String, String> attribute : element.getAttributes().entrySet()) {
      String value = attribute.getValue();
      out.append(' ').append(attribute.getKey()).append("=\"");
      if (value == null || value.isEmpty()) {
        out.append("null");
      } else {
        escape(value, out, false);
      }
      out.append('"');
    }
    if (!element.hasChildren()) {
      out.append("/>");
      return;
    }
    out.append('>');
    for (XhtmlNode child : element.getChildNodes()) {
      if (child.getNodeType() == NodeType.Text) {
        escape(child.getContent(), out, true);
      } else {
        element(child, out);
      }
    }
    out.append("</").append(element.getName()).append('>');
  }

  private static void escape(String s, StringBuilder out, boolean text) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String entity =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            default -> null;
          };
      boolean pair =
          text
              && Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (entity != null || pair) {
        out.append(s, run, i);
        if (pair) {
          int codePoint = Character.toCodePoint(c, s.charAt(++i));
          out.append("&#x")
              .append(Integer.toHexString(codePoint).toUpperCase(Locale.ROOT))
              .append(';');
        } else {
          out.append(entity);
        }
        run = i + 1;
      }
    }
    out.append(s, run, s.length());
  }

  /** A div that gives HAPI its markup already composed. */
  private static final class Composed extends XhtmlNode {
    private final String value;

    Composed(String value) {
      super(NodeType.Element, "div");
      this.value = value;
    }

    @Override
    public boolean isEmpty() {
      return false;
    }

    @Override
    public String getValueAsString() {
      return value;
    }
  }
}
