package dk.sektorbro.gateway.medcom;

import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Narrative.NarrativeStatus;

/**
 * Builds the Danish XHTML narrative MedCom requires on every resource: the resource id, its
 * references and the elements flagged for the narrative. Every value is escaped.
 */
final class Narrative {

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
      html.append("<p><b>").append(escape(label)).append("</b>: ").append(escape(value)).append("</p>");
    }
    return this;
  }

  /** Free text keeps its line breaks. */
  Narrative paragraph(String label, String text) {
    if (text != null && !text.isBlank()) {
      html.append("<p><b>").append(escape(label)).append("</b>:</p><p>")
          .append(escape(text).replace("\n", "<br/>"))
          .append("</p>");
    }
    return this;
  }

  void applyTo(DomainResource resource) {
    resource.getText().setStatus(NarrativeStatus.GENERATED);
    resource.getText().setDivAsString(html + "</div>");
  }

  static String escape(String s) {
    return Xhtml.escape(s);
  }
}
