package dk.sektorbro.gateway.medcom;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.junit.jupiter.api.Test;

/**
 * The narrative node, built directly, is node for node the tree HAPI's own setDivAsString makes of
 * the escaped markup, and encodes exactly as it does (XML and JSON), for texts with everything the
 * escaping touches; and the reused per-thread parser (extend) parses as a new one, one after
 * another on the same thread, and after a parse that failed.
 */
class NarrativeParserReuseTest {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static final String[] TEXTS = {
    "Anna Hansen",
    "a < b & c > d",
    "\"quoted\" and 'single'",
    "line one\nline two\n\nthree",
    "tab\there",
    "æøå ÆØÅ é ü ß €",
    "",
    "  spaces  ",
    "a&amp;b",
    "x\u0007y",
    "\u0007",
    "\n",
    "\nleading and trailing\n",
    " \n ",
    "a\r\nb",
    "\t",
    "<br/>",
    "]]> <![CDATA[x]]> <!-- c -->",
    "&nbsp; &#160; &lt;",
    "x\u0001\n\u0002y"
  };

  @Test
  void everyNarrative_encodesAsHapisOwn() {
    for (int round = 0; round < 3; round++) {
      for (String text : TEXTS) {
        Patient reused = new Patient();
        reused.setId("p1");
        Narrative.of("Borger " + text, reused)
            .row("Navn", text)
            .paragraph("Tekst", text)
            .applyTo(reused);

        Patient fromString = new Patient();
        fromString.setId("p1");
        fromString.getText().setStatus(reused.getText().getStatus());
        XhtmlNode node = new XhtmlNode();
        node.setValueAsString(expectedXhtml(text));
        fromString.getText().setDiv(node);

        assertThat(tree(reused.getText().getDiv())).isEqualTo(tree(node));
        String encoded = FHIR.newXmlParser().encodeResourceToString(reused);
        assertThat(encoded).isEqualTo(FHIR.newXmlParser().encodeResourceToString(fromString));
        assertThat(FHIR.newJsonParser().encodeResourceToString(reused))
            .isEqualTo(FHIR.newJsonParser().encodeResourceToString(fromString));
      }
      // A failed parse must not leave the thread's parser in a state that changes the next one.
      assertThat(
              Narrative.div("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>").getValueAsString())
          .isNotNull();
    }
  }

  @Test
  void anExtendedNarrative_isTheTreeOfTheMarkupItContinues() {
    for (String text : TEXTS) {
      Patient built = new Patient();
      built.setId("p1");
      Narrative.of("Borger", built).row("Navn", "Anna").applyTo(built);
      String before = built.getText().getDivAsString();
      Narrative.extend(built).paragraph("Tekst", text).row("Mere", text).applyTo(built);

      StringBuilder markup = new StringBuilder(before.substring(0, before.lastIndexOf("</div>")));
      if (!text.isBlank()) {
        markup
            .append("<p><b>Tekst</b>:</p><p>")
            .append(Narrative.escape(text).replace("\n", "<br/>"))
            .append("</p><p><b>Mere</b>: ")
            .append(Narrative.escape(text))
            .append("</p>");
      }
      // As the narrative was made before: the whole markup through the thread's parser.
      XhtmlNode expected = Narrative.div(markup.append("</div>").toString());
      assertThat(tree(built.getText().getDiv())).isEqualTo(tree(expected));
      assertThat(built.getText().getDivAsString()).isEqualTo(expected.getValueAsString());
    }
  }

  /** Every node's kind, name, attributes, text and end-tag form, depth first. */
  private static String tree(XhtmlNode node) {
    StringBuilder out = new StringBuilder();
    tree(node, 0, out);
    return out.toString();
  }

  private static void tree(XhtmlNode node, int depth, StringBuilder out) {
    out.append("  ".repeat(depth))
        .append(node.getNodeType())
        .append(' ')
        .append(node.getName())
        .append(' ')
        .append(node.getAttributes())
        .append(" content=[")
        .append(node.getContent())
        .append("] expanded=")
        .append(node.getEmptyExpanded())
        .append(" notPretty=")
        .append(node.isNoPretty())
        .append('\n');
    for (XhtmlNode child : node.getChildNodes()) {
      tree(child, depth + 1, out);
    }
  }

  private static String expectedXhtml(String text) {
    StringBuilder html =
        new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>")
            .append(Narrative.escape("Borger " + text))
            .append("</b> (Patient/p1)</p>");
    if (!text.isBlank()) {
      html.append("<p><b>Navn</b>: ").append(Narrative.escape(text)).append("</p>");
      html.append("<p><b>Tekst</b>:</p><p>")
          .append(Narrative.escape(text).replace("\n", "<br/>"))
          .append("</p>");
    }
    return html.append("</div>").toString();
  }
}
