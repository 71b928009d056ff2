package dk.sektorbro.gateway.medcom;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;
import org.junit.jupiter.api.Test;

/**
 * The narrative node from the reused per-thread parser encodes exactly as HAPI's own setDivAsString
 * (a new parser per call), for texts with everything the escaping touches, one after another on the
 * same thread, and after a parse that failed.
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
    "x\u0007y"
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
